"""Invitations: inviting contacts, the invitation emails and what invitees hear of changes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..events.visibility import event_key
    from . import api, event_reminders, notifications, receivers, views  # noqa: F401 - register the email renderers

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    receivers.connect()
    # view arguments naming a row of one event are checked like an event id
    for name, event_of in api.EVENT_KEYS.items():
        event_key(name, event_of)
