"""Writes for sending a colleague instead, and the organiser's approval.

    colleague = send_colleague(invitation, ColleagueIn(...))   # by the invitee
    approve(colleague, by=user)                                # when the event asks for it
    db.session.commit()                                        # the invitation email leaves

The colleague is a contact of the invitee's organisation, created if their address is new, or
the contact that has it (the invitee learns nothing of that contact: the pages show the name
they typed). Their invitation counts under the invitee's organisation, which keeps its seat;
the invitee's own invitation becomes `substituted`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.signals import invitation_answered
from ..directory.models import Contact, Gender
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..invitations.operations import build_invitation
from ..mail.outbox import queue_email
from ..rsvp.operations import AnswerRefused, lock_event
from ..rsvp.queries import answers_open
from .schemas import ColleagueIn


class ColleagueRefused(Exception):
    """The colleague cannot be sent: a message for the form's field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _reload(invitation_id: int) -> Invitation:
    return db.session.execute(
        sa.select(Invitation)
        .where(Invitation.id == invitation_id)
        .execution_options(populate_existing=True)
    ).scalar_one()


def _colleague_contact(invitation: Invitation, data: ColleagueIn) -> Contact:
    """The contact with the colleague's address, or a new one of the invitee's organisation,
    speaking the invitee's language until told otherwise."""
    contact = db.session.scalar(sa.select(Contact).where(Contact.email == data.substitute_email))
    if contact is not None:
        if contact.erased_at is not None:
            raise ColleagueRefused(
                "substitute_email", _("This colleague cannot be invited: give another address.")
            )
        return contact
    invitee = invitation.contact
    contact = Contact(
        full_name=data.substitute_name,
        email=data.substitute_email,
        position=data.substitute_position,
        organisation_id=invitation.organisation_id or invitee.organisation_id,
        role_category=invitee.role_category,
        gender=Gender.undisclosed,
        language=invitee.language,
    )
    db.session.add(contact)
    db.session.flush()
    record("contact.create", contact, {"organisation_id": contact.organisation_id}, actor="invitee")
    return contact


def send_colleague(invitation: Invitation, data: ColleagueIn) -> Invitation:
    """The invitee sends `data`'s colleague instead; returns the colleague's invitation, whose
    email is queued now, or once approved when the event asks for approval. Raises
    `AnswerRefused` (as an answer would be) or `ColleagueRefused` (a field's error)."""
    event = lock_event(invitation.event_id)
    invitation = _reload(invitation.id)
    old = invitation.status
    if old == InvitationStatus.revoked:
        raise AnswerRefused("revoked")
    if invitation.contact.erased_at is not None:
        raise AnswerRefused("erased")
    if event.is_cancelled:
        raise AnswerRefused("cancelled")
    if not answers_open(event):
        raise AnswerRefused("closed")
    if old == InvitationStatus.substituted:
        raise ColleagueRefused("response", _("You have already sent a colleague instead."))
    if data.substitute_email == (invitation.contact.email or "").lower():
        raise ColleagueRefused(
            "substitute_email", _("This is your own address: give your colleague's.")
        )
    contact = _colleague_contact(invitation, data)
    invited = db.session.scalar(
        sa.select(Invitation.id).where(
            Invitation.event_id == event.id, Invitation.contact_id == contact.id
        )
    )
    if invited is not None:
        raise ColleagueRefused(
            "substitute_email",
            _("This colleague is invited to this event already: nobody else was invited."),
        )

    colleague = build_invitation(event, contact).invitation
    colleague.organisation_id = invitation.organisation_id
    colleague.substitute_for_id = invitation.id
    colleague.awaiting_approval = event.substitutes_need_approval
    invitation.status = InvitationStatus.substituted
    invitation.waitlisted_at = None
    invitation.responded_at = utcnow()
    db.session.flush()
    record(
        "invitation.substitute",
        invitation,
        {"from": old.value, "colleague_invitation_id": colleague.id},
        actor="invitee",
    )
    if colleague.awaiting_approval:
        colleague.email_status = None  # nothing written to them until approved
    else:
        queue_email("invitation", invitation=colleague)
    invitation_answered.send(invitation, old_status=old)
    return colleague


def approve(colleague: Invitation, *, by: User) -> bool:
    """An organiser lets a colleague's invitation go out; False if it was not waiting."""
    lock_event(colleague.event_id)
    colleague = _reload(colleague.id)
    if not colleague.awaiting_approval or colleague.status == InvitationStatus.revoked:
        return False
    colleague.awaiting_approval = False
    db.session.flush()
    record("invitation.approve_substitute", colleague, {}, actor="user", user_id=by.id)
    queue_email("invitation", invitation=colleague)
    return True
