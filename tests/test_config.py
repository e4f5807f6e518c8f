"""Settings from the environment and `.env`: typed, checked at startup, used where they matter."""

from __future__ import annotations

import pytest

from reslog_events.config import ConfigError, load_config

#: the mail path's tuning settings, a value for each that is not the default, and its type
TUNING = {
    "OUTBOX_RETRY_BASE_SECONDS": ("2.5", 2.5),
    "OUTBOX_RETRY_MAX_SECONDS": ("90", 90.0),
    "OUTBOX_MAX_ATTEMPTS": ("4", 4),
    "REMINDER_MIN_INTERVAL_HOURS": ("1.5", 1.5),
    "SENDGRID_WEBHOOK_MAX_AGE": ("120", 120),
    "SMTP_TIMEOUT": ("7", 7.0),
    "SENDGRID_TIMEOUT": ("3.5", 3.5),
}
DEFAULTS = {
    "OUTBOX_RETRY_BASE_SECONDS": 30,
    "OUTBOX_RETRY_MAX_SECONDS": 3600,
    "OUTBOX_MAX_ATTEMPTS": 10,
    "REMINDER_MIN_INTERVAL_HOURS": 24,
    "SENDGRID_WEBHOOK_MAX_AGE": 600,
    "SMTP_TIMEOUT": 30,
    "SENDGRID_TIMEOUT": 20,
}
BASE_ENV = {"SECRET_KEY": "test"}


def test_tuning_settings_come_from_the_environment(tmp_path):
    env = {**BASE_ENV, **{name: raw for name, (raw, _value) in TUNING.items()}}
    config = load_config(tmp_path, env)
    for name, (_raw, value) in TUNING.items():
        assert config[name] == value and type(config[name]) is type(value), name


def test_tuning_settings_have_their_defaults(tmp_path):
    config = load_config(tmp_path, {**BASE_ENV, "SMTP_TIMEOUT": ""})
    assert {name: config[name] for name in DEFAULTS} == DEFAULTS


def test_tuning_settings_are_read_from_dot_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in TUNING:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.setenv("SMTP_TIMEOUT", "9")  # the process environment wins over .env
    (tmp_path / ".env").write_text("OUTBOX_MAX_ATTEMPTS=3\nSMTP_TIMEOUT=11\n")
    config = load_config(tmp_path / "instance")
    assert config["OUTBOX_MAX_ATTEMPTS"] == 3
    assert config["SMTP_TIMEOUT"] == 9.0


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("OUTBOX_RETRY_BASE_SECONDS", "soon"),
        ("OUTBOX_RETRY_BASE_SECONDS", "0"),
        ("OUTBOX_RETRY_MAX_SECONDS", "-5"),
        ("OUTBOX_MAX_ATTEMPTS", "2.5"),
        ("OUTBOX_MAX_ATTEMPTS", "0"),
        ("REMINDER_MIN_INTERVAL_HOURS", "nan"),
        ("REMINDER_MIN_INTERVAL_HOURS", "-1"),
        ("SENDGRID_WEBHOOK_MAX_AGE", "10 minutes"),
        ("SMTP_TIMEOUT", "inf"),
        ("SENDGRID_TIMEOUT", "0"),
        ("SMTP_PORT", "smtp"),
        ("MAIL_RATE_PER_SECOND", "-1"),
        ("OUTBOX_LEASE_SECONDS", "0"),
        ("SESSION_IDLE_MINUTES", "0"),
        ("SESSION_IDLE_MINUTES", "an hour"),
        ("REPORT_MIN_CELL", "0"),
        ("REPORT_MIN_CELL", "five"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path, name, raw):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, {**BASE_ENV, name: raw})
    assert str(caught.value).startswith(f"{name}={raw!r}: expected ")


def test_the_smallest_shown_report_count_defaults_to_five(tmp_path):
    assert load_config(tmp_path, BASE_ENV)["REPORT_MIN_CELL"] == 5
    assert load_config(tmp_path, {**BASE_ENV, "REPORT_MIN_CELL": "10"})["REPORT_MIN_CELL"] == 10


def test_the_longest_retry_delay_is_not_below_the_first(tmp_path):
    env = {**BASE_ENV, "OUTBOX_RETRY_BASE_SECONDS": "60", "OUTBOX_RETRY_MAX_SECONDS": "30"}
    with pytest.raises(ConfigError, match="OUTBOX_RETRY_MAX_SECONDS must not be less than"):
        load_config(tmp_path, env)


def test_create_app_refuses_a_bad_value(monkeypatch):
    from reslog_events import create_app

    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "ten")
    with pytest.raises(ConfigError, match="^OUTBOX_MAX_ATTEMPTS='ten'"):
        create_app({"TESTING": True})


def test_the_mail_path_uses_the_settings(app, tmp_path):
    from reslog_events.mail.backends.sendgrid import SendGridBackend
    from reslog_events.mail.backends.smtp import SmtpBackend
    from reslog_events.mail.delivery import backoff_seconds

    env = {**BASE_ENV, **{name: raw for name, (raw, _value) in TUNING.items()}}
    config = load_config(tmp_path, env)
    app.config.update({name: config[name] for name in TUNING})
    assert SmtpBackend(app.config).timeout == 7.0
    assert SendGridBackend(app.config).client.client.timeout == 3.5
    assert 2.5 * 0.8 <= backoff_seconds(1) <= 2.5 * 1.2
    assert backoff_seconds(20) <= 90 * 1.2


def test_links_follow_the_port_unless_the_public_address_is_set(tmp_path):
    # `PORT=5091 python3 dev.py run`: the emailed links must reach that port
    assert load_config(tmp_path, BASE_ENV)["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
    config = load_config(tmp_path, {**BASE_ENV, "PORT": "5091"})
    assert config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5091"
    production = {**BASE_ENV, "PORT": "8000", "PUBLIC_BASE_URL": "https://events.example.org/"}
    assert load_config(tmp_path, production)["PUBLIC_BASE_URL"] == "https://events.example.org"
    with pytest.raises(ConfigError, match="^PORT='fifty'"):
        load_config(tmp_path, {**BASE_ENV, "PORT": "fifty"})


def test_an_app_started_on_another_port_links_to_it(monkeypatch, tmp_path):
    from reslog_events import create_app
    from reslog_events.certificates.documents import verify_url

    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5091")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        assert verify_url("abc") == "http://127.0.0.1:5091/verify/abc"
