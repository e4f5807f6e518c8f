"""Issuing the verification code of a certificate of attendance (the caller commits).

A certificate exists for an invitation that attended an event that has ended: at least one
check-in, not revoked, the event not cancelled (`queries.attended_ended`). Its code is issued the
first time the certificate is asked for and kept; it is bound to the invitation's current RSVP
link and check-in code, so erasure and rotation invalidate it (`models.Certificate`). A code
asked for after such a change is a new one.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit.operations import record
from ..core.columns import utcnow
from ..extensions import db
from ..invitations.models import Invitation
from .models import Certificate

#: random bytes of a code: 96 bits, 16 URL-safe characters (unguessable, short to type)
CODE_BYTES = 12


def binding(invitation: Invitation) -> str:
    """What a certificate is bound to: the invitation's current link and check-in code."""
    both = f"{invitation.token_hash}:{invitation.checkin_code_hash}"
    return hashlib.sha256(both.encode()).hexdigest()


def is_current(certificate: Certificate) -> bool:
    return certificate.bound_to == binding(certificate.invitation)


def issue_certificate(
    invitation: Invitation, *, actor: str = "invitee", user_id: int | None = None
) -> Certificate:
    """The invitation's certificate, issued now if it has none or its code was invalidated.
    The caller has checked that the invitation attended an event that has ended. `actor` (and
    `user_id`) say who asked: the invitee, an organiser's ZIP (user) or the clock (system)."""
    certificate = db.session.scalar(
        sa.select(Certificate).where(Certificate.invitation_id == invitation.id)
    )
    if certificate is not None and is_current(certificate):
        return certificate
    code = secrets.token_urlsafe(CODE_BYTES)
    try:
        with db.session.begin_nested():
            if certificate is None:
                certificate = Certificate(invitation=invitation)
                db.session.add(certificate)
            certificate.code = code
            certificate.bound_to = binding(invitation)
            certificate.issued_at = utcnow()
            db.session.flush()
    except IntegrityError:
        # the same invitation issued at the same moment by another request: take theirs
        db.session.expire_all()
        certificate = db.session.scalars(
            sa.select(Certificate).where(Certificate.invitation_id == invitation.id)
        ).one()
        return certificate
    record(
        "certificate.issue",
        invitation,
        {"certificate_id": certificate.id},
        actor=actor,
        user_id=user_id,
    )
    return certificate
