"""Invitations: inviting contacts, the invitation emails and what invitees hear of changes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import api, event_reminders, notifications, receivers, views  # noqa: F401 - register the email renderers

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    receivers.connect()
