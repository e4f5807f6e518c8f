"""Messages from the organisers to a group of an event's invitees (accepted, attended, …)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (
        api,
        notifications,  # noqa: F401 - registers the message email's renderer
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
