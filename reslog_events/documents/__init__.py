"""Minutes and documents of an event: files the organisers attach (agenda, presentations,
photos) and minutes written in the app, each visible to the organisers, the invitees or the
attendees; invitees find theirs on their RSVP page. Files are kept through one storage
interface (`storage.py`: a local folder, or S3-compatible storage)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (
        api,
        cleanup,
        invitee_views,
        minutes_views,
        notifications,  # noqa: F401 - registers the minutes email's renderer
        storage,
        views,
    )

    storage.init_app(app)
    cleanup.init_app()
    for module in (views, minutes_views, invitee_views, api):
        app.register_blueprint(module.bp)
    # for the RSVP page: the documents its invitee may see
    app.jinja_env.globals["invitee_documents"] = invitee_views.invitee_documents
