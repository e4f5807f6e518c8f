"""The minutes' email to an attendee, rendered by the send worker in the attendee's language:
a link to the documents on their RSVP page, never the minutes themselves or an attachment
(the page checks, at every visit, that they may still see them)."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..invitations.models import Invitation
from ..mail.messages import RenderedEmail, SkipEmail, live_invitation, renderer
from ..mail.models import OutgoingEmail
from ..rsvp.notifications import invitation_context
from .models import EventDocument, Visibility
from .operations import KIND


def render_minutes_notice(
    document: EventDocument, invitation: Invitation, language: str
) -> RenderedEmail:
    """The email of `document`'s minutes to `invitation`'s invitee (also the preview)."""
    with force_locale(language):
        ctx = invitation_context(invitation, language, document=document)
        ctx["documents_url"] = ctx["rsvp_url"] + "#documents"
        text = render_template("emails/minutes.txt", **ctx)
        html = render_template("emails/minutes.html", **ctx)
        subject = _("Minutes: %(title)s", title=invitation.event.title_in(language))
    return RenderedEmail(subject=subject, text=text, html=html)


@renderer(KIND)
def render_minutes_email(outgoing: OutgoingEmail) -> RenderedEmail:
    invitation = live_invitation(outgoing)
    document = db.session.get(EventDocument, (outgoing.payload or {}).get("document_id"))
    if document is None:
        raise SkipEmail("the minutes were deleted")
    if document.visibility == Visibility.organisers:
        raise SkipEmail("the minutes are no longer shown to attendees")
    return render_minutes_notice(document, invitation, outgoing.language)
