"""Writes of the privacy feature: audit an export, erase a contact.

    record_export(contact); db.session.commit()
    outcome = erase_contact(contact, reference="KVKK-2025-014"); db.session.commit()

Erasure removes the person and keeps the statistics: the contact row stays (with its gender,
role category and organisation, which the reports group by), and so do the invitations' status
and check-ins; everything that names, reaches or describes the person is cleared, wherever it
was copied (emails, the door log, the audit log). Secrets are rotated to random values, so old
links and QR codes stop working. The caller commits.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.models import AuditLog
from ..audit.operations import record
from ..checkin.models import ScanLog
from ..core.api import ApiError
from ..core.columns import utcnow
from ..core.signals import contact_erased
from ..core.tokens import digest, new_checkin_code, new_rsvp_token
from ..directory.models import Contact
from ..extensions import db
from ..invitations.models import Invitation
from ..mail.delivery import refresh_email_status
from ..mail.models import DeliveryEvent, OutboxStatus, OutgoingEmail
from ..programme.models import ItinerarySite
from .queries import PENDING_EMAIL, audit_about, delegation_members_of, invitations_of
from .redaction import like_patterns, mentions, needles_of, redact
from .retention import CLEARED_DELEGATION_NOTES, cleared_answers
from .schemas import ERASED_NAME, EraseOut

#: why an erased contact's pending emails were not sent (shown in the outbox)
NOT_SENT_ERASED = "Not sent: the contact was erased."


def already_erased() -> ApiError:
    return ApiError(
        409, "contact_erased", _("This contact was erased: it cannot be changed or invited.")
    )


def record_export(contact: Contact, *, invitations: int, page: bool = False) -> None:
    """Audit an export of the contact's data (who, when; not what it held)."""
    record(
        "contact.export",
        contact,
        {"invitations": invitations, "via": "page" if page else "api"},
    )


def _locked_contact(contact_id: int) -> Contact:
    """The contact, row-locked (PostgreSQL) so that an edit cannot slip in mid-erasure."""
    contact = db.session.get(Contact, contact_id, with_for_update=True, populate_existing=True)
    if contact is None:  # deleted meanwhile
        raise ApiError(404, "not_found", "Contact not found.")
    return contact


def erase_contact(contact: Contact, *, reference: str | None = None) -> EraseOut:
    """Erase the person behind `contact`; raises ApiError 409 if that was done already."""
    contact = _locked_contact(contact.id)
    if contact.erased_at is not None:
        raise already_erased()
    needles = needles_of(contact)
    placeholder = ERASED_NAME.format(id=contact.id)
    invitations = invitations_of(contact.id)
    ids = [inv.id for inv in invitations]
    members = delegation_members_of(ids)

    now = utcnow()
    contact.full_name = placeholder
    contact.email = None
    contact.phone = None
    contact.position = None
    contact.email_bounced_at = None
    contact.email_bounce_reason = None
    contact.erased_at = now
    for invitation in invitations:
        _erase_invitation(invitation)
    contact_erased.send(contact, invitation_ids=ids)
    for member in members:
        for name, value in CLEARED_DELEGATION_NOTES.items():
            setattr(member, name, value)
        member.arrives_at = None
        member.departs_at = None
    db.session.flush()

    cancelled, scrubbed = _erase_emails(ids, needles)
    scans = _erase_scan_log(ids, needles, placeholder)
    audited = _erase_audit(contact.id, ids, [m.id for m in members], needles)
    _erase_site_contacts(needles)
    staged = _erase_staged_imports(needles)

    outcome = EraseOut(
        contact_id=contact.id,
        erased_at=now,
        invitations=len(ids),
        emails_cancelled=cancelled,
        emails_scrubbed=scrubbed,
        scan_log_entries=scans,
        audit_entries_scrubbed=audited,
        staged_imports_deleted=staged,
    )
    reference_kept, _changed = redact(reference, needles) if reference else (None, False)
    record(
        "contact.erase",
        contact,
        {**outcome.model_dump(exclude={"contact_id", "erased_at"}), "reference": reference_kept},
    )
    return outcome


def _erase_invitation(invitation: Invitation) -> None:
    for name, value in cleared_answers().items():
        setattr(invitation, name, value)
    # New random secrets, sealed copies dropped: the old RSVP link and QR code stop working
    # and no one can show new ones.
    invitation.token_hash = digest(new_rsvp_token())
    invitation.token_sealed = ""
    invitation.checkin_code_hash = digest(new_checkin_code())
    invitation.checkin_code_sealed = ""


def _erase_emails(invitation_ids: list[int], needles: list[str]) -> tuple[int, int]:
    """Cancel what was not sent; keep kind, status and times of the rest, not the address or
    the subject. Returns (cancelled, scrubbed)."""
    if not invitation_ids:
        return 0, 0
    of_person = OutgoingEmail.invitation_id.in_(invitation_ids)
    cancelled = db.session.execute(
        sa.update(OutgoingEmail)
        .where(of_person, OutgoingEmail.status.in_(PENDING_EMAIL))
        .values(status=OutboxStatus.skipped, lease_until=None, last_error=NOT_SENT_ERASED)
        .execution_options(synchronize_session=False)
    ).rowcount
    for row_id, error in db.session.execute(
        sa.select(OutgoingEmail.id, OutgoingEmail.last_error).where(
            of_person, OutgoingEmail.last_error.is_not(None)
        )
    ).all():
        if mentions(error, needles):
            db.session.execute(
                sa.update(OutgoingEmail)
                .where(OutgoingEmail.id == row_id)
                .values(last_error="[erased]")
                .execution_options(synchronize_session=False)
            )
    scrubbed = db.session.execute(
        sa.update(OutgoingEmail)
        .where(of_person)
        .values(to_address="", subject=None, payload={})
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        sa.update(DeliveryEvent)
        .where(
            DeliveryEvent.outgoing_email_id.in_(
                sa.select(OutgoingEmail.id).where(of_person).scalar_subquery()
            )
        )
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    # the invitations' email status follows their latest message that was not skipped
    refresh_email_status(invitation_ids)
    return cancelled, scrubbed - cancelled


def _mentioning(column: Any, needles: list[str]) -> sa.ColumnElement[bool]:
    """Rows whose JSON or text column mentions a needle (a coarse SQL filter; the rows found
    are checked again in Python)."""
    text = sa.func.lower(sa.cast(column, sa.Text))
    return sa.or_(*(text.like(p, escape="\\") for p in like_patterns(needles)))


def _erase_scan_log(invitation_ids: list[int], needles: list[str], placeholder: str) -> int:
    """The door log keeps when, where and what result; not what was scanned, nor the name."""
    conditions = []
    if invitation_ids:
        conditions.append(ScanLog.invitation_id.in_(invitation_ids))
    if needles:
        conditions.append(_mentioning(ScanLog.response, needles))
    if not conditions:
        return 0
    rows = db.session.scalars(sa.select(ScanLog).where(sa.or_(*conditions))).all()
    wanted = set(invitation_ids)
    for row in rows:
        response = dict(row.response or {})
        if row.invitation_id in wanted:
            row.scanned = ""
            if response.get("full_name"):
                response["full_name"] = placeholder
        row.response, _changed = redact(response, needles)
    return len(rows)


def _erase_audit(
    contact_id: int, invitation_ids: list[int], member_ids: list[int], needles: list[str]
) -> int:
    """Entries about the person lose their personal values; any other entry that mentions the
    person loses the strings that do. Actions, times and ids stay (the log stays a log)."""
    changed = 0
    about = db.session.scalars(audit_about(contact_id, invitation_ids, member_ids)).all()
    seen = set()
    for entry in about:
        seen.add(entry.id)
        data, did = redact(dict(entry.data or {}), needles, drop_personal_keys=True)
        if did:
            entry.data = data
            changed += 1
    if needles:
        for entry in db.session.scalars(
            sa.select(AuditLog).where(_mentioning(AuditLog.data, needles))
        ):
            if entry.id in seen:
                continue
            data, did = redact(dict(entry.data or {}), needles)
            if did:
                entry.data = data
                changed += 1
    return changed


def _erase_staged_imports(needles: list[str]) -> int:
    """Contact lists uploaded but not yet imported that name the person are deleted (the
    organiser uploads again); a file that no longer reads is deleted too."""
    from ..directory.imports import staging
    from ..directory.imports.reader import ImportFileError, read_table

    def concerns(data: bytes, filename: str) -> bool:
        try:
            table = read_table(data, filename)
        except ImportFileError:
            return True
        return any(mentions(" ".join(cells), needles) for _number, cells in table.rows)

    return staging.discard_where(concerns) if needles else 0


def _erase_site_contacts(needles: list[str]) -> None:
    """A visit's site may name the person as its contact: those fields are cleared."""
    if not needles:
        return
    fields = (ItinerarySite.contact_name, ItinerarySite.contact_email, ItinerarySite.contact_phone)
    for site in db.session.scalars(
        sa.select(ItinerarySite).where(sa.or_(*(_mentioning(f, needles) for f in fields)))
    ):
        for field in ("contact_name", "contact_email", "contact_phone"):
            if mentions(getattr(site, field), needles):
                setattr(site, field, None)
