"""Emails about answers, rendered by the send worker in the invitee's language:

- `confirmation`: after `accept` (and after a new check-in code): the QR code inline and
  attached, the calendar entry (PARTSTAT=ACCEPTED, the invitation's UID), the link back.
- `promotion`: a seat became free and the first on the waitlist has it: the same content.
- `waitlisted`: the event is full; the invitee's place on the waitlist.

A message that is no longer true when the worker gets to it (declined meanwhile, revoked, event
cancelled) is skipped rather than sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.bidi import isolates
from ..events.display import event_period
from ..extensions import RTL_LANGUAGES
from ..invitations.calendar import invitation_calendar
from ..invitations.models import Invitation, InvitationStatus
from ..invitations.operations import checkin_code_of
from ..invitations.qr import checkin_qr_png
from ..mail.messages import Attachment, RenderedEmail, SkipEmail, renderer
from ..mail.models import OutgoingEmail
from .links import event_place, rsvp_url
from .queries import organiser_contact, waitlist_position

QR_FILENAME = "checkin-qr.png"


def _invitation(outgoing: OutgoingEmail, wanted: InvitationStatus) -> Invitation:
    invitation = outgoing.invitation
    if invitation is None:
        raise SkipEmail("no invitation")
    if invitation.event.is_cancelled:
        raise SkipEmail("event cancelled")
    if invitation.status != wanted:
        raise SkipEmail(f"invitation is {invitation.status.value}, no longer {wanted.value}")
    return invitation


def invitation_context(invitation: Invitation, language: str, **extra: Any) -> dict[str, Any]:
    event = invitation.event
    name, address = organiser_contact(event)
    return {
        "invitation": invitation,
        "event": event,
        "contact": invitation.contact,
        "period": event_period(event),
        "place": event_place(event),
        "rsvp_url": rsvp_url(invitation),
        "organiser_name": name,
        "organiser_email": address,
        "lang": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        **isolates(language),
        **extra,
    }


def seat_email(
    invitation: Invitation,
    language: str,
    *,
    template: str,
    subject: Callable[[str], str],
    **extra: Any,
) -> RenderedEmail:
    """An email that carries the invitee's seat: the QR code (inline and attached) and the
    calendar entry (PARTSTAT=ACCEPTED). `template` names emails/<template>.txt and .html;
    `subject` gets the event's title, in the invitee's locale."""
    code = checkin_code_of(invitation)
    png = checkin_qr_png(invitation)
    if code is None or png is None:
        raise SkipEmail("check-in code cannot be unsealed (SECRET_KEY changed?)")
    cid = f"checkin-qr-{invitation.id}@reslog-events"
    with force_locale(language):
        ctx = invitation_context(invitation, language, code=code, qr_cid=cid, **extra)
        text = render_template(f"emails/{template}.txt", **ctx)
        html = render_template(f"emails/{template}.html", **ctx)
        title = subject(invitation.event.title_in(language))
    return RenderedEmail(
        subject=title,
        text=text,
        html=html,
        attachments=[
            # Inline in the HTML, and attached for mail programs that hide inline pictures.
            Attachment(QR_FILENAME, "image/png", png, content_id=cid),
            Attachment(QR_FILENAME, "image/png", png),
        ],
        calendar=invitation_calendar(
            invitation, partstat="ACCEPTED", rsvp_url=ctx["rsvp_url"], language=language
        ),
    )


def _render_seat(outgoing: OutgoingEmail, *, promoted: bool) -> RenderedEmail:
    invitation = _invitation(outgoing, InvitationStatus.accepted)
    new_code = (outgoing.payload or {}).get("reason") == "new_code"

    def subject(title: str) -> str:
        if promoted:
            return _("A place is free for you: %(title)s", title=title)
        if new_code:
            return _("Your new check-in code: %(title)s", title=title)
        return _("You are registered: %(title)s", title=title)

    return seat_email(
        invitation,
        outgoing.language,
        template="rsvp_confirmation",
        subject=subject,
        promoted=promoted,
        new_code=new_code,
    )


@renderer("confirmation")
def render_confirmation(outgoing: OutgoingEmail) -> RenderedEmail:
    return _render_seat(outgoing, promoted=False)


@renderer("promotion")
def render_promotion(outgoing: OutgoingEmail) -> RenderedEmail:
    return _render_seat(outgoing, promoted=True)


@renderer("waitlisted")
def render_waitlisted(outgoing: OutgoingEmail) -> RenderedEmail:
    invitation = _invitation(outgoing, InvitationStatus.waitlisted)
    language = outgoing.language
    with force_locale(language):
        ctx = invitation_context(invitation, language, position=waitlist_position(invitation))
        title = invitation.event.title_in(language)
        subject = _("You are on the waiting list: %(title)s", title=title)
        text = render_template("emails/rsvp_waitlisted.txt", **ctx)
        html = render_template("emails/rsvp_waitlisted.html", **ctx)
    return RenderedEmail(subject=subject, text=text, html=html)
