"""Writes on invitations. The invitation pipeline (issue 3) adds inviting in bulk."""

from __future__ import annotations

from dataclasses import dataclass

from ..auth.models import User
from ..core.tokens import digest, new_checkin_code, new_rsvp_token, seal, unseal
from ..directory.models import Contact
from ..events.models import Event
from ..extensions import db
from .models import Invitation, InvitationStatus, RetiredCheckinCode


@dataclass
class NewInvitation:
    invitation: Invitation
    rsvp_token: str
    checkin_code: str


def build_invitation(
    event: Event,
    contact: Contact,
    *,
    invited_by: User | None = None,
    status: InvitationStatus = InvitationStatus.pending,
    walk_in: bool = False,
) -> NewInvitation:
    """A new invitation with fresh secrets, added to the session (not committed)."""
    token = new_rsvp_token()
    code = new_checkin_code()
    invitation = Invitation(
        event=event,
        contact=contact,
        organisation_id=contact.organisation_id,
        status=status,
        is_walk_in=walk_in,
        invited_by=invited_by,
        token_hash=digest(token),
        token_sealed=seal(token),
        checkin_code_hash=digest(code),
        checkin_code_sealed=seal(code),
    )
    db.session.add(invitation)
    return NewInvitation(invitation, token, code)


def rsvp_token_of(invitation: Invitation) -> str | None:
    return unseal(invitation.token_sealed)


def checkin_code_of(invitation: Invitation) -> str | None:
    return unseal(invitation.checkin_code_sealed)


def rotate_checkin_code(invitation: Invitation) -> str:
    """A new QR code for the invitation; the old one then answers `revoked` at the door."""
    db.session.add(
        RetiredCheckinCode(code_hash=invitation.checkin_code_hash, invitation_id=invitation.id)
    )
    code = new_checkin_code()
    invitation.checkin_code_hash = digest(code)
    invitation.checkin_code_sealed = seal(code)
    return code


def find_by_token(token: str) -> Invitation | None:
    from sqlalchemy import select

    return db.session.scalar(select(Invitation).where(Invitation.token_hash == digest(token)))
