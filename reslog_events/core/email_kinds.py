"""The kinds of email the outbox writes, named for people: the development outbox's "Kind"
column and an invitation's email history show "Davet" on a Turkish page, not `invitation`.
Every kind a renderer is registered for has a name here (tests/invitations/test_dev_outbox.py);
an unknown kind (an old row) is shown as it is."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

EMAIL_KINDS = {
    "invitation": _l("Invitation"),
    "update": _l("Change notice"),
    "cancellation": _l("Cancellation notice"),
    "reminder": _l("Reminder to answer"),
    "confirmation": _l("Confirmation with QR code"),
    "waitlisted": _l("On the waiting list"),
    "promotion": _l("Place from the waiting list"),
    "event_reminder": _l("Reminder before the event"),
    "event_message": _l("Message to invitees"),
    "itinerary": _l("Itinerary"),
    "feedback_survey": _l("Feedback survey"),
    "minutes_notice": _l("Minutes available"),
    "certificate": _l("Certificate of attendance"),
    "account_invite": _l("Account invitation"),
    "password_reset": _l("Password reset"),
    "report_ready": _l("Report ready"),
    "monthly_summary": _l("Monthly summary"),
}


def email_kind_label(kind: str | None) -> str:
    """E.g. "Davet" for `invitation` on a Turkish page; an unknown kind as it is."""
    label = EMAIL_KINDS.get(kind or "")
    return str(label) if label is not None else (kind or "")
