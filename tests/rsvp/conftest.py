"""Helpers for the RSVP tests: answering a real form, reading the outbox and the audit log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.forms import post_form


@pytest.fixture
def answer(client):
    """POST the RSVP form as a browser would (CSRF token from the page itself)."""

    def post(token: str, response: str = "accept", *, consent: bool = True, http=None, **fields):
        data = {"response": response, **fields}
        if consent:
            data["consent_data"] = "1"
        return post_form(http or client, f"/rsvp/{token}", data)

    return post


@pytest.fixture
def outbox(app):
    """The outbox rows written so far, as (kind, invitation_id) pairs in order."""
    from reslog_events.extensions import db
    from reslog_events.mail.models import OutgoingEmail

    def rows(kind: str | None = None):
        db.session.expire_all()
        stmt = sa.select(OutgoingEmail).order_by(OutgoingEmail.id)
        if kind:
            stmt = stmt.where(OutgoingEmail.kind == kind)
        return db.session.scalars(stmt).all()

    return rows


@pytest.fixture
def audit(app):
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    def entries(action: str | None = None):
        stmt = sa.select(AuditLog).order_by(AuditLog.id)
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return db.session.scalars(stmt).all()

    return entries


@pytest.fixture
def fresh(app):
    """Reload an object from the database (the requests ran in their own sessions)."""
    from reslog_events.extensions import db

    def reload(obj):
        db.session.expire_all()
        return db.session.get(type(obj), obj.id)

    return reload


@pytest.fixture
def received():
    """Record what a blinker signal sends during the test."""
    connected = []

    def listen(signal):
        calls = []

        def receiver(sender, **kwargs):
            calls.append((sender, kwargs))

        signal.connect(receiver)
        connected.append((signal, receiver))
        return calls

    yield listen
    for signal, receiver in connected:
        signal.disconnect(receiver)


@pytest.fixture
def forget_locale(app):
    """In tests every request shares the test's app context, so `g` (the invitee's language,
    Flask-Babel's cached locale) outlives a request; in production each request has its own.
    Call between an invitee's requests and an organiser's."""
    from flask import g
    from flask_babel import refresh

    def forget():
        g.pop("default_language", None)
        refresh()

    return forget
