"""RSVP: the invitee's answer by the emailed link, the organisers' view of the answers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..core.signals import event_capacity_changed
    from . import (
        answer_pages,
        api,
        invitee_pages,
        notifications,  # noqa: F401 - registers the email renderers
        receivers,
    )

    for module in (invitee_pages, answer_pages, api):
        app.register_blueprint(module.bp)
    event_capacity_changed.connect(receivers.promote_into_new_seats, weak=False)
