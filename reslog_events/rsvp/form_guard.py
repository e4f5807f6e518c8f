"""The RSVP form's protection against cross-site requests, without a session.

Every other form carries Flask-WTF's token, kept in the session cookie. The invitee's form
carries a token derived from the link's own token by HMAC with the app's secret key: only a
page of this site that knows the link can write it, so a request forged from another site
(which does not know the link, or it could answer with it directly) fails, as it does with
Flask-WTF's. The POST must also come from this site when the browser says where it comes from
(`Origin`, else `Referer` over HTTPS, as Flask-WTF checks it): its host is the request's or
PUBLIC_BASE_URL's. docs/security.md, "CSRF".

A fast path of the RSVP page (bench/pages.py, docs/benchmarks.md "Fast paths"): the page no
longer opens, signs and sends a session cookie for its form, so an invitee opening the link
gets no cookie at all unless they switch language or answer (the answer's thank-you message
goes through the session, once).
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import current_app, request
from flask_wtf.csrf import CSRFError

_PURPOSE = b"reslog-rsvp-form\x00"


def form_token(token: str) -> str:
    """The form token of the RSVP link `token`."""
    key = current_app.secret_key
    key_bytes = key.encode() if isinstance(key, str) else bytes(key or b"")
    return hmac.new(key_bytes, _PURPOSE + token.encode(), "sha256").hexdigest()


def _same_site(address: str | None) -> bool:
    """Whether `address` is on this site: the host the request was sent to, or the public
    address the links are made with (PUBLIC_BASE_URL; a proxy may pass another Host)."""
    if not address:
        return False
    host = urlsplit(address).netloc
    public = urlsplit(current_app.config.get("PUBLIC_BASE_URL") or "").netloc
    return host == request.host or (bool(public) and host == public)


def check_form(token: str) -> None:
    """Raise CSRFError (400) unless the POST carries `token`'s form token and comes from this
    site; nothing to check when CSRF protection is off (WTF_CSRF_ENABLED)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    sent = request.form.get("csrf_token", "")
    if not sent:
        raise CSRFError("The CSRF token is missing.")
    if not hmac.compare_digest(sent, form_token(token)):
        raise CSRFError("The CSRF token is invalid.")
    origin = request.headers.get("Origin")
    if origin is not None:
        if not _same_site(origin):
            raise CSRFError("The request does not come from this site.")
    elif request.is_secure and not _same_site(request.referrer):
        raise CSRFError("The referrer does not match the host.")
