"""RSVP: the invitee's answer by the emailed link, the organisers' view of the answers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..core.signals import event_capacity_changed
    from ..extensions import csrf, never_limit
    from . import (
        answer_pages,
        api,
        guessing,
        invitee_pages,
        notifications,  # noqa: F401 - registers the email renderers
        receivers,
    )

    for module in (invitee_pages, answer_pages, api):
        app.register_blueprint(module.bp)
    guessing.init_app(app)
    # the invitee's pages are limited by rsvp.guessing alone: Flask-Limiter skips them
    never_limit(invitee_pages.bp)
    # the invitee's form carries a token of its own, checked by the page (rsvp.form_guard)
    csrf.exempt(invitee_pages.page)
    event_capacity_changed.connect(receivers.promote_into_new_seats, weak=False)
