"""Rate limits: login per address and per account, RSVP link guessing per address, the door
exempt (phones behind one NAT), and client addresses read through trusted proxies only."""

from __future__ import annotations

import pytest

from tests.support.forms import csrf_token


def _login(client, email, ip, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": "wrong", "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
        headers=headers,
    )


def test_login_is_limited_per_address(client, create_user):
    user = create_user("organiser")
    answers = [_login(client, user.email, "10.0.0.1").status_code for _ in range(11)]
    assert answers[:10] == [401] * 10 and answers[10] == 429
    assert _login(client, user.email, "10.0.0.2").status_code == 401  # another address


def test_one_account_is_limited_over_every_address(client, create_user):
    user, other = create_user("organiser"), create_user("organiser")
    for i in range(20):
        assert _login(client, user.email, f"10.1.{i}.1").status_code == 401
    assert _login(client, user.email.upper(), "10.2.0.1").status_code == 429
    assert _login(client, other.email, "10.2.0.1").status_code == 401


def test_forwarded_addresses_are_ignored_without_trusted_proxies(client, create_user):
    user = create_user("organiser")
    for i in range(10):
        _login(client, user.email, "10.3.0.1", forwarded=f"192.0.2.{i}")
    # a forged X-Forwarded-For does not buy a fresh limit
    assert _login(client, user.email, "10.3.0.1", forwarded="198.51.100.7").status_code == 429


@pytest.fixture
def proxied_app(database_url, tmp_path):
    from reslog_events import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "EMBEDDED_WORKER": False,
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
            "DEFAULT_LANGUAGE": "en",
            "MAIL_OUTBOX_DIR": str(tmp_path),
            "TRUSTED_PROXIES": 1,
        }
    )
    with app.app_context():
        yield app


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(app, proxied_app, create_user):
    from reslog_events.extensions import db

    user = create_user("organiser")
    db.session.commit()
    with proxied_app.app_context():
        client = proxied_app.test_client()
        proxy = "10.9.9.9"
        for _ in range(10):
            assert _login(client, user.email, proxy, forwarded="203.0.113.1").status_code == 401
        assert _login(client, user.email, proxy, forwarded="203.0.113.1").status_code == 429
        assert _login(client, user.email, proxy, forwarded="203.0.113.2").status_code == 401


def test_rsvp_link_guessing_is_limited(client, create_invitation):
    create_invitation()
    answers = [client.get(f"/rsvp/{'x' * 27}{i:02d}").status_code for i in range(11)]
    assert answers[:10] == [404] * 10 and answers[10] == 429


def test_the_door_is_never_throttled(api, create_event, create_invitation):
    from reslog_events.core.columns import utcnow

    event = create_event(starts_at=utcnow().replace(microsecond=0))
    staff = api("staff")
    for i in range(60):  # a queue of phones behind one venue NAT
        resp = staff.post(
            f"/api/v1/events/{event.id}/checkins",
            json={"code": f"RSL1-NOPE{i:04d}", "nonce": f"door-{i:06d}", "gate": "A"},
        )
        assert resp.status_code == 404, i
