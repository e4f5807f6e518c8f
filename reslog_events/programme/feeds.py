"""Subscribable iCalendar feeds (`webcal://`): the public programme, and a private feed per user
by a secret URL (only its hash is stored; it can be revoked and issued anew).

Both are cacheable: a strong ETag (hash of the body, which is deterministic) and Last-Modified;
If-None-Match and If-Modified-Since get 304 Not Modified.
"""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..audit.operations import record
from ..auth.models import User
from ..core.downloads import content_disposition
from ..core.tokens import digest
from ..extensions import db, limiter
from . import calendar
from .ical import feed_calendar

bp = Blueprint("feeds", __name__)

_SECRET = re.compile(r"[A-Za-z0-9_-]{32,64}")
_MAX_AGE = 300


def webcal(url: str) -> str:
    """The same URL with the webcal scheme calendar programs subscribe to."""
    return re.sub(r"^https?://", "webcal://", url)


def feed_url(endpoint: str, **values) -> str:
    """An absolute feed URL on PUBLIC_BASE_URL (what subscribers reach)."""
    return current_app.config["PUBLIC_BASE_URL"] + url_for(endpoint, **values)


def _public_event_url(event) -> str:
    return feed_url("calendar.public_event", event_id=event.id)


def _calendar_response(body: bytes, last_modified, private: bool) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition("inline", "reslog-events.ics")
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.last_modified = last_modified.replace(microsecond=0)
    response.cache_control.max_age = _MAX_AGE
    if private:
        response.cache_control.private = True
        response.headers["Referrer-Policy"] = "no-referrer"
    else:
        response.cache_control.public = True
    return response.make_conditional(request)


@bp.get("/feeds/public.ics")
def public_feed():
    events = calendar.public_events()
    body = feed_calendar(events, _("RESLOG programme"), _public_event_url)
    return _calendar_response(body, calendar.last_change(), private=False)


def _missed(response) -> bool:
    return response.status_code == 404


@bp.get("/feeds/u/<secret>.ics")
@limiter.limit("30 per minute", deduct_when=_missed)
def user_feed(secret: str):
    user = None
    if _SECRET.fullmatch(secret):
        user = db.session.scalar(sa.select(User).where(User.feed_token_hash == digest(secret)))
    if user is None or not user.active:
        abort(404)
    name = _("RESLOG events of %(name)s", name=user.name or user.email)
    body = feed_calendar(calendar.user_events(user), name, _public_or_none)
    return _calendar_response(body, calendar.last_change(user), private=True)


def _public_or_none(event) -> str | None:
    return _public_event_url(event) if event.is_public else event.online_url


def issue_feed_secret(user: User) -> str:
    """A new secret for the user's private feed; the previous URL stops working."""
    secret = secrets.token_urlsafe(32)
    user.feed_token_hash = digest(secret)
    record("feed.issue", user)
    return secret


def revoke_feed_secret(user: User) -> None:
    user.feed_token_hash = None
    record("feed.revoke", user)


@bp.route("/calendar/feed", methods=["GET", "POST"])
@login_required
def feed_settings():
    """The user's feeds: the public programme and their private feed (issue, re-issue, revoke).
    A private URL is shown once, when issued."""
    user = current_user._get_current_object()
    new_url = None
    if request.method == "POST":
        action = request.form.get("action")
        if action == "issue":
            secret = issue_feed_secret(user)
            new_url = feed_url("feeds.user_feed", secret=secret)
        elif action == "revoke":
            revoke_feed_secret(user)
        else:
            abort(400)
        db.session.commit()
    response = current_app.make_response(
        render_template(
            "programme/feed.html",
            has_feed=user.feed_token_hash is not None,
            new_url=new_url,
            new_webcal=webcal(new_url) if new_url else None,
            public_url=feed_url("feeds.public_feed"),
            public_webcal=webcal(feed_url("feeds.public_feed")),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response
