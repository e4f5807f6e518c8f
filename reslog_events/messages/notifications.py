"""The email of a message to a group, rendered by the send worker: the organisers' text in the
reader's language when the message has it (else in the event's default language), inside the
usual frame (the event, the link to the invitation, whom to ask) in the reader's language."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from ..extensions import RTL_LANGUAGES, db
from ..mail.messages import RenderedEmail, SkipEmail, live_invitation, renderer
from ..mail.models import OutgoingEmail
from ..rsvp.notifications import invitation_context
from .models import EventMessage
from .operations import KIND


def render_message(message: EventMessage, invitation, language: str) -> RenderedEmail:
    """The email of `message` to `invitation`'s invitee, framed in `language` (also the
    organisers' preview)."""
    subject, body, text_language = message.text_for(language)
    with force_locale(language):
        ctx = invitation_context(
            invitation,
            language,
            message_body=body,
            text_language=text_language,
            text_direction="rtl" if text_language in RTL_LANGUAGES else "ltr",
        )
        text = render_template("emails/event_message.txt", **ctx)
        html = render_template("emails/event_message.html", **ctx)
    return RenderedEmail(subject=subject, text=text, html=html)


@renderer(KIND)
def render_event_message(outgoing: OutgoingEmail) -> RenderedEmail:
    invitation = live_invitation(outgoing)
    message = db.session.get(EventMessage, (outgoing.payload or {}).get("message_id"))
    if message is None:
        raise SkipEmail("the message no longer exists")
    return render_message(message, invitation, outgoing.language)
