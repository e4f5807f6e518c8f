"""The strict Content-Security-Policy holds because no page template has inline script, inline
style or an event-handler attribute (emails are exempt: mail programs need inline styles and run
no script), and the headers are sent on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: emails: rendered into messages, never served as pages under the CSP
EMAIL_PARTS = ("emails", "email")
#: an email shown as a page: served with a CSP of its own (no script at all, inline style for
#: the email's markup), see invitations.views.preview
OWN_CSP = {"invitations/preview.html"}

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
HANDLER_ATTR = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)


def page_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if not set(path.relative_to(TEMPLATES).parts[:-1]) & set(EMAIL_PARTS)
    )


def test_the_page_templates_are_found():
    names = {str(p.relative_to(TEMPLATES)) for p in page_templates()}
    assert {"base.html", "rsvp/page.html", "checkin/scanner.html"} <= names
    assert not any(name.startswith("emails/") for name in names)


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_inline_script_style_or_handlers(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to static/js/"
    if str(path.relative_to(TEMPLATES)) not in OWN_CSP:
        assert not STYLE_ATTR.search(text), "style= attribute: use a class in static/css/"
    assert not HANDLER_ATTR.search(text), "on…= handler: attach it in static/js/"
    assert not JS_URL.search(text), "javascript: URL"


@pytest.mark.parametrize("path", ["/login", "/rsvp/not-a-token-at-all-xxxx", "/programme"])
def test_security_headers(client, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in resp.headers  # plain HTTP here


def test_the_email_preview_page_allows_no_script(api, auth, client, create_event):
    auth.login("organiser")
    event = create_event()
    resp = client.get(f"/events/{event.id}/invitations/preview?lang=en")
    assert resp.status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'") and "script-src" not in csp


def test_hsts_behind_https(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://events.example.org"
    resp = client.get("/login")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_and_csrf_settings(tmp_path, monkeypatch):
    from reslog_events.config import load_config

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://events.example.org")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config.get("WTF_CSRF_ENABLED", True) is True
