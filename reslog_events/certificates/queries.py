"""Who has a certificate, the days it names, and the look-up of a verification code."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..checkin.models import CheckIn
from ..events.models import CertificatePolicy
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from .models import Certificate
from .operations import is_current


def days_attended(invitation_id: int) -> list[date]:
    """The event days (in the event's zone) the invitee was checked in on, in order."""
    return list(
        db.session.scalars(
            sa.select(CheckIn.day)
            .where(CheckIn.invitation_id == invitation_id)
            .distinct()
            .order_by(CheckIn.day)
        )
    )


def attended_ended(invitation: Invitation) -> bool:
    """Whether the invitation earns a certificate: checked in at an event that has ended, the
    invitation not revoked, the event not cancelled, the person not erased."""
    event = invitation.event
    if invitation.status == InvitationStatus.revoked or event.is_cancelled:
        return False
    if not event.has_ended or invitation.contact.erased_at is not None:
        return False
    return bool(days_attended(invitation.id))


def offered_to(invitation: Invitation) -> bool:
    """Whether the invitee may download a certificate: earned, and the event gives them."""
    return invitation.event.certificates != CertificatePolicy.off and attended_ended(invitation)


def verified(code: str) -> tuple[Certificate, list[date]] | None:
    """The certificate with this code and its days, if it still holds (not invalidated by
    erasure or rotation, still earned)."""
    certificate = db.session.scalar(sa.select(Certificate).where(Certificate.code == code))
    if certificate is None or not is_current(certificate):
        return None
    if not attended_ended(certificate.invitation):
        return None
    return certificate, days_attended(certificate.invitation_id)
