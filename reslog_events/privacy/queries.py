"""Reads of the privacy feature: everything held about a contact, for the export and for the
privacy page's summary.

    document = contact_export(contact)    # a ContactDataExport, secrets left out
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..audit.models import AuditLog
from ..auth.models import User
from ..certificates.models import Certificate
from ..certificates.operations import is_current
from ..checkin.models import CheckIn, ScanLog
from ..core.columns import utcnow
from ..directory.models import Contact
from ..events.visibility import visible_to
from ..extensions import db
from ..invitations.models import Invitation
from ..mail.models import DeliveryEvent, OutboxStatus, OutgoingEmail
from ..programme.models import AgendaSession, DelegationMember, SessionChoice
from .retention import answers_held
from .schemas import (
    AnswersExport,
    AuditExport,
    CertificateExport,
    CheckInExport,
    ConsentsExport,
    ContactDataExport,
    ContactExport,
    DelegationExport,
    DeliveryEventExport,
    EmailExport,
    EventExport,
    InvitationExport,
    ScanExport,
    SessionChoiceExport,
)

#: emails not sent yet: erasure cancels them
PENDING_EMAIL = (OutboxStatus.queued, OutboxStatus.sending)


def invitations_of(contact_id: int, user: User | None = None) -> list[Invitation]:
    """The contact's invitations; with `user`, only to events that user may see."""
    stmt = sa.select(Invitation).where(Invitation.contact_id == contact_id)
    if user is not None:
        stmt = stmt.where(visible_to(user, Invitation.event_id))
    return list(
        db.session.scalars(
            stmt.options(joinedload(Invitation.event)).order_by(
                Invitation.invited_at, Invitation.id
            )
        )
    )


def delegation_members_of(invitation_ids: list[int]) -> list[DelegationMember]:
    if not invitation_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(DelegationMember).where(DelegationMember.invitation_id.in_(invitation_ids))
        )
    )


def audit_about(contact_id: int, invitation_ids: list[int], member_ids: list[int]) -> sa.Select:
    """Audit entries whose object is the person: the contact, their invitations, their places
    in a delegation."""
    about = [sa.and_(AuditLog.object_type == "contact", AuditLog.object_id == contact_id)]
    if invitation_ids:
        about.append(
            sa.and_(AuditLog.object_type == "invitation", AuditLog.object_id.in_(invitation_ids))
        )
    if member_ids:
        about.append(
            sa.and_(AuditLog.object_type == "delegationmember", AuditLog.object_id.in_(member_ids))
        )
    return sa.select(AuditLog).where(sa.or_(*about)).order_by(AuditLog.created_at, AuditLog.id)


def _grouped(rows, key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def _emails(invitation_ids: list[int]) -> dict[int, list[EmailExport]]:
    if not invitation_ids:
        return {}
    rows = db.session.scalars(
        sa.select(OutgoingEmail)
        .where(OutgoingEmail.invitation_id.in_(invitation_ids))
        .order_by(OutgoingEmail.id)
    ).all()
    events = _grouped(
        db.session.scalars(
            sa.select(DeliveryEvent)
            .where(DeliveryEvent.outgoing_email_id.in_([r.id for r in rows]))
            .order_by(DeliveryEvent.occurred_at, DeliveryEvent.id)
        ),
        "outgoing_email_id",
    )
    out: dict[int, list[EmailExport]] = defaultdict(list)
    for row in rows:
        out[row.invitation_id].append(
            EmailExport(
                id=row.id,
                kind=row.kind,
                status=row.status,
                to_address=row.to_address,
                language=row.language,
                subject=row.subject,
                created_at=row.created_at,
                sent_at=row.sent_at,
                delivery_status=row.delivery_status,
                delivery_events=[
                    DeliveryEventExport.model_validate(e) for e in events.get(row.id, [])
                ],
            )
        )
    return out


def _session_choices(invitation_ids: list[int]) -> dict[int, list[SessionChoiceExport]]:
    if not invitation_ids:
        return {}
    rows = db.session.execute(
        sa.select(SessionChoice, AgendaSession)
        .join(AgendaSession, AgendaSession.id == SessionChoice.session_id)
        .where(SessionChoice.invitation_id.in_(invitation_ids))
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    out: dict[int, list[SessionChoiceExport]] = defaultdict(list)
    for choice, session in rows:
        out[choice.invitation_id].append(
            SessionChoiceExport(
                session_id=session.id,
                title=session.title,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                chosen_at=choice.created_at,
            )
        )
    return out


def contact_export(contact: Contact, user: User | None = None) -> ContactDataExport:
    """Everything held about the contact. Secrets (the RSVP token, the check-in code, what the
    scanner read) are never part of it. For a union-scoped `user`, the invitations to events
    of their union and teams only (docs/privacy.md)."""
    invitations = invitations_of(contact.id, user)
    ids = [inv.id for inv in invitations]
    members = {m.invitation_id: m for m in delegation_members_of(ids)}
    checkins = _grouped(
        db.session.scalars(
            sa.select(CheckIn)
            .where(CheckIn.invitation_id.in_(ids))
            .order_by(CheckIn.checked_in_at, CheckIn.id)
        ),
        "invitation_id",
    )
    scans = _grouped(
        db.session.scalars(
            sa.select(ScanLog)
            .where(ScanLog.invitation_id.in_(ids))
            .order_by(ScanLog.received_at, ScanLog.id)
        ),
        "invitation_id",
    )
    emails = _emails(ids)
    choices = _session_choices(ids)
    certificates = {
        c.invitation_id: CertificateExport(
            issued_at=c.issued_at, emailed_at=c.emailed_at, valid=is_current(c)
        )
        for c in db.session.scalars(
            sa.select(Certificate).where(Certificate.invitation_id.in_(ids))
        )
    }
    audit = db.session.scalars(audit_about(contact.id, ids, [m.id for m in members.values()])).all()
    return ContactDataExport(
        exported_at=utcnow(),
        contact=ContactExport.model_validate(contact),
        invitations=[
            InvitationExport(
                id=inv.id,
                event=EventExport.model_validate(inv.event),
                organisation_id=inv.organisation_id,
                status=inv.status,
                email_status=inv.email_status,
                is_walk_in=inv.is_walk_in,
                invited_at=inv.invited_at,
                responded_at=inv.responded_at,
                waitlisted_at=inv.waitlisted_at,
                revoked_at=inv.revoked_at,
                reminded_at=inv.reminded_at,
                start_reminded_for=inv.start_reminded_for,
                updated_at=inv.updated_at,
                answers=AnswersExport.model_validate(inv),
                consents=ConsentsExport(
                    data_processing_at=inv.consent_data_at, photos=inv.consent_photos
                ),
                checkins=[CheckInExport.model_validate(c) for c in checkins.get(inv.id, [])],
                scans=[ScanExport.model_validate(s) for s in scans.get(inv.id, [])],
                emails=emails.get(inv.id, []),
                session_choices=choices.get(inv.id, []),
                delegation=DelegationExport.model_validate(members[inv.id])
                if inv.id in members
                else None,
                certificate=certificates.get(inv.id),
            )
            for inv in invitations
        ],
        audit=[AuditExport.model_validate(a) for a in audit],
    )


@dataclass
class HeldSummary:
    """What the privacy page lists before an export or an erasure."""

    invitations: int
    checkins: int
    emails: int
    pending_emails: int
    answers: int


def held_summary(contact_id: int) -> HeldSummary:
    ids = sa.select(Invitation.id).where(Invitation.contact_id == contact_id).scalar_subquery()

    def count(stmt: sa.Select) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0

    return HeldSummary(
        invitations=count(sa.select(Invitation.id).where(Invitation.contact_id == contact_id)),
        checkins=count(sa.select(CheckIn.id).where(CheckIn.invitation_id.in_(ids))),
        emails=count(sa.select(OutgoingEmail.id).where(OutgoingEmail.invitation_id.in_(ids))),
        pending_emails=count(
            sa.select(OutgoingEmail.id).where(
                OutgoingEmail.invitation_id.in_(ids), OutgoingEmail.status.in_(PENDING_EMAIL)
            )
        ),
        answers=count(
            sa.select(Invitation.id).where(Invitation.contact_id == contact_id, answers_held())
        ),
    )
