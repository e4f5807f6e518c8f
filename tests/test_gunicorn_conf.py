"""The production web server's settings (`reslog_events/gunicorn_conf.py`, the Procfile's `-c`),
loaded the way gunicorn loads them."""

from __future__ import annotations

import gc
import importlib
import io
import logging
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.app.base import Application

from reslog_events.config import ConfigError
from reslog_events.gunicorn_logging import RedactingLogger

MODULE = "reslog_events.gunicorn_conf"
ROOT = Path(__file__).resolve().parent.parent


class _Settings(Application):
    """gunicorn's own reading of a `-c python:…` configuration, without serving anything."""

    def load_config(self) -> None:
        self.load_config_from_module_name_or_filename(f"python:{MODULE}")

    def load(self):  # pragma: no cover - never served
        return None


def settings(monkeypatch, **env: str):
    for name in ("WEB_CONCURRENCY", "WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, MODULE, raising=False)  # read the environment again
    return _Settings().cfg


def test_defaults_for_a_two_core_server(monkeypatch):
    cfg = settings(monkeypatch)
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (4, 2, "gthread")
    assert cfg.keepalive == 75
    assert cfg.accesslog == "-"
    assert cfg.logger_class is RedactingLogger


def test_the_environment_sizes_it(monkeypatch):
    cfg = settings(monkeypatch, WEB_CONCURRENCY="6", WEB_THREADS="3")
    assert (cfg.workers, cfg.threads) == (6, 3)


@pytest.mark.parametrize("name", ["WEB_CONCURRENCY", "WEB_THREADS"])
@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_size_stops_it_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, MODULE, raising=False)
    with pytest.raises(ConfigError, match=name):  # gunicorn prints it and exits
        importlib.import_module(MODULE)


def test_the_procfile_uses_these_settings():
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert f"-c python:{MODULE}" in web
    assert "--bind 0.0.0.0:${PORT:-5000}" in web  # .ci/wheel-smoke binds it to loopback
    assert "--workers" not in web and "--threads" not in web  # one place for the sizes


def test_templates_are_compiled_then_frozen_before_the_first_request(tmp_path):
    from flask import Flask

    from reslog_events import gunicorn_conf

    (tmp_path / "page.html").write_text("{% extends 'base.html' %}")
    (tmp_path / "base.html").write_text("<p>{{ 1 + 1 }}</p>")
    app = Flask(__name__, template_folder=str(tmp_path))
    gc.unfreeze()
    try:
        gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=app))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert {key[1] for key in app.jinja_env.cache} >= {"page.html", "base.html"}
    assert gunicorn_conf.compile_templates(None) == 0  # another WSGI app: nothing to compile


def test_every_template_of_the_app_compiles():
    from reslog_events import create_app
    from reslog_events.gunicorn_conf import compile_templates

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t", "REDIS_URL": None})
    assert compile_templates(app) >= 100


def test_the_access_line_has_the_time_and_no_personal_data(monkeypatch):
    cfg = settings(monkeypatch)
    cfg.set("accesslog", None)  # not to stdout here; the handler below catches the line
    logger = RedactingLogger(cfg)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.access_log.addHandler(handler)
    logger.access_log.setLevel(logging.INFO)
    logger.cfg.set("accesslog", "-")  # logging on: gunicorn writes only when it is set
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/rsvp/SeCrEt-token",
        "PATH_INFO": "/rsvp/SeCrEt-token",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": "Phone of Ayşe",
        "HTTP_REFERER": "https://mail.example/SeCrEt-token",
    }
    resp = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    try:
        logger.access(resp, SimpleNamespace(headers=[]), environ, timedelta(microseconds=12345))
    finally:
        logger.access_log.removeHandler(handler)
    line = out.getvalue()
    assert '"GET /rsvp/… HTTP/1.1" 200 1234 0.012345' in line
    for personal in ("SeCrEt", "203.0.113.7", "Ayşe", "mail.example"):
        assert personal not in line


def test_the_load_test_adds_a_log_of_full_collections(monkeypatch, tmp_path):
    from bench import web_settings

    log = tmp_path / "gc.txt"
    monkeypatch.setenv("BENCH_GC_LOG", str(log))
    callbacks = list(gc.callbacks)
    gc.unfreeze()
    try:
        web_settings.post_worker_init(SimpleNamespace())
        assert gc.get_freeze_count() > 0  # production's freeze, then the log
        gc.collect()
    finally:
        gc.callbacks[:] = callbacks
        gc.unfreeze()
    generation, cpu, wall, pid = log.read_text().splitlines()[-1].split()
    assert generation == "2" and float(cpu) >= 0 and float(wall) >= 0 and int(pid) > 0


def test_the_load_test_can_run_the_settings_before(monkeypatch):
    monkeypatch.setenv("BENCH_WEB_BEFORE", "1")
    monkeypatch.delitem(sys.modules, "bench.web_settings", raising=False)
    before = importlib.import_module("bench.web_settings")
    assert (before.workers, before.threads) == (3, 4)
    gc.unfreeze()
    before.post_worker_init(SimpleNamespace())
    assert gc.get_freeze_count() == 0
