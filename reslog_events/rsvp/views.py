"""The RSVP feature's pages, mapped to their handlers (Indico-style URL map):

- the invitee's, by the emailed link and without an account (invitee_pages.py);
- the organisers', per event (answer_pages.py).
"""

from __future__ import annotations

from flask import Blueprint, Flask

from . import answer_pages, invitee_pages

bp = Blueprint("rsvp", __name__)

# The invitee: the page (the form POSTs back to it), the QR code, the calendar file.
bp.add_url_rule("/rsvp/<token>", "page", invitee_pages.page, methods=["GET", "POST"])
bp.add_url_rule("/rsvp/<token>/qr.png", "qr", invitee_pages.qr)
bp.add_url_rule("/rsvp/<token>/calendar.ics", "calendar", invitee_pages.calendar)

# The organisers.
_EVENT = "/events/<int:event_id>/answers"
_ONE = _EVENT + "/<int:invitation_id>"
bp.add_url_rule(_EVENT, "event_answers", answer_pages.event_answers)
bp.add_url_rule(_EVENT + ".csv", "export_csv", answer_pages.export_csv)
bp.add_url_rule(_EVENT + ".xlsx", "export_xlsx", answer_pages.export_xlsx)
bp.add_url_rule(_ONE, "edit_answer", answer_pages.edit_answer, methods=["GET", "POST"])
bp.add_url_rule(_ONE + "/revoke", "revoke", answer_pages.revoke, methods=["POST"])
bp.add_url_rule(_ONE + "/rotate-code", "rotate_code", answer_pages.rotate_code, methods=["POST"])
bp.add_url_rule(
    _ONE + "/approve", "approve_colleague", answer_pages.approve_colleague, methods=["POST"]
)


def _promote_into_new_seats(event) -> None:
    from .operations import fill_free_seats, lock_event

    fill_free_seats(lock_event(event.id))


def init_app(app: Flask) -> None:
    from ..core.signals import event_capacity_changed
    from . import api, notifications  # noqa: F401 - notifications registers the email renderers

    app.register_blueprint(api.bp)
    event_capacity_changed.connect(_promote_into_new_seats, weak=False)
