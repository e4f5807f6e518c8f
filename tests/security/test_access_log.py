"""Personal links never reach the access log."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from reslog_events.gunicorn_logging import RedactingLogger, redact


def test_secret_paths_are_masked():
    assert redact("GET /rsvp/AbC-123_x/qr.png HTTP/1.1") == "GET /rsvp/…/qr.png HTTP/1.1"
    assert redact("/feeds/u/s3cr3t.ics") == "/feeds/u/…"
    assert redact("/events/7/checkin") == "/events/7/checkin"


def test_gunicorn_atoms_are_redacted():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/rsvp/tok123?lang=ar",
        "PATH_INFO": "/rsvp/tok123",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "http://x/rsvp/tok123",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    assert "tok123" not in atoms["r"] and "tok123" not in atoms["U"] and "tok123" not in atoms["f"]
