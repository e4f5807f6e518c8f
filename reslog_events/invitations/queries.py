"""Reads of invitations: the list behind the API and the page, the fan-out's progress, one
invitation's history, and who of a directory selection is invited already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..audit.models import AuditLog
from ..checkin.models import CheckIn
from ..core.api import Page, paginate
from ..core.turkish import fold
from ..directory.models import Contact
from ..extensions import db
from ..mail.models import DeliveryEvent, DeliveryStatus, OutboxStatus, OutgoingEmail
from .models import EmailStatus, Invitation, InvitationStatus
from .schemas import InvitationQuery

#: invitees who stop hearing about the event
NOT_NOTIFIED = (InvitationStatus.declined, InvitationStatus.revoked)


def _invitation_went_out():
    """An invitation email for the invitation is queued, being sent or sent (not failed, not
    skipped): the invitee knows about the event, or will with the next message."""
    return (
        sa.select(OutgoingEmail.id)
        .where(
            OutgoingEmail.invitation_id == Invitation.id,
            OutgoingEmail.kind == "invitation",
            OutgoingEmail.status.in_(
                [OutboxStatus.queued, OutboxStatus.sending, OutboxStatus.sent]
            ),
        )
        .exists()
    )


def notified_statement(
    event_id: int, *columns: Any, languages: list[str] | None = None
) -> sa.Select:
    """The invitations that hear of a change or a cancellation of the event (the receivers'
    one definition; the confirmation pages count and list from it too): not declined nor
    revoked, and their invitation has gone out; with `languages`, only invitees of those.
    Selects `columns`, by default the ids."""
    statement = (
        sa.select(*(columns or (Invitation.id,)))
        .select_from(Invitation)
        .where(
            Invitation.event_id == event_id,
            Invitation.status.not_in(NOT_NOTIFIED),
            _invitation_went_out(),
        )
    )
    if languages is not None:
        speakers = sa.select(Contact.id).where(Contact.language.in_(languages))
        statement = statement.where(Invitation.contact_id.in_(speakers))
    return statement


#: the counts of the progress view, in the order shown
PROGRESS_KEYS = ("queued", "sending", "sent", "delivered", "bounced", "failed", "skipped")


def invitations_statement(event_id: int, query: InvitationQuery | None = None) -> sa.Select:
    q = query or InvitationQuery()
    stmt = (
        sa.select(Invitation)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(Invitation.event_id == event_id)
        .options(joinedload(Invitation.contact))
    )
    if q.status is not None:
        stmt = stmt.where(Invitation.status == q.status)
    if q.email_status is not None:
        stmt = stmt.where(Invitation.email_status == q.email_status)
    if q.checked_in is not None:
        came = sa.select(CheckIn.id).where(CheckIn.invitation_id == Invitation.id).exists()
        stmt = stmt.where(came if q.checked_in else ~came)
    for term in fold(q.q).split()[:8] if q.q else []:
        stmt = stmt.where(
            sa.or_(
                Contact.search_key.contains(term, autoescape=True),
                Contact.email.contains(term, autoescape=True),
            )
        )
    return stmt.order_by(Contact.sort_key, Invitation.id)


def first_checkins(invitation_ids: list[int]) -> dict[int, datetime]:
    if not invitation_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(CheckIn.invitation_id, sa.func.min(CheckIn.checked_in_at))
            .where(CheckIn.invitation_id.in_(invitation_ids))
            .group_by(CheckIn.invitation_id)
        ).all()
    )


def invitations_page(event_id: int, query: InvitationQuery) -> Page:
    """A page of (invitation, first check-in time) rows: two queries whatever the page size."""
    page = paginate(invitations_statement(event_id, query), query)
    checkins = first_checkins([inv.id for inv in page.items])
    page.items = [(inv, checkins.get(inv.id)) for inv in page.items]
    return page


def status_counts(event_id: int) -> dict[str, dict[str, int]]:
    """{"status": {pending: n, …}, "email_status": {queued: n, …}} for the event's invitations."""
    result: dict[str, dict[str, int]] = {
        "status": {s.value: 0 for s in InvitationStatus},
        "email_status": {s.value: 0 for s in EmailStatus},
    }
    for column, key in ((Invitation.status, "status"), (Invitation.email_status, "email_status")):
        for value, count in db.session.execute(
            sa.select(column, sa.func.count())
            .where(Invitation.event_id == event_id)
            .group_by(column)
        ):
            # email_status none: nothing was ever written to them (walk-ins)
            result[key][value.value if value is not None else "none"] = count
    return result


def progress(event_id: int, from_id: int | None = None, kind: str | None = None) -> dict[str, Any]:
    """Where the event's outgoing emails are (optionally from outbox id `from_id` on, i.e. one
    fan-out): counts by state, `done` when nothing is queued or being sent any more, and the
    `state` the progress view names."""
    outcome = sa.case(
        (OutgoingEmail.delivery_status == DeliveryStatus.delivered, "delivered"),
        (OutgoingEmail.delivery_status == DeliveryStatus.bounced, "bounced"),
        (OutgoingEmail.delivery_status == DeliveryStatus.dropped, "failed"),
        else_=OutgoingEmail.status,
    )
    stmt = (
        sa.select(outcome, sa.func.count())
        .join(Invitation, Invitation.id == OutgoingEmail.invitation_id)
        .where(Invitation.event_id == event_id)
        .group_by(outcome)
    )
    if from_id is not None:
        stmt = stmt.where(OutgoingEmail.id >= from_id)
    if kind is not None:
        stmt = stmt.where(OutgoingEmail.kind == kind)
    counts = dict.fromkeys(PROGRESS_KEYS, 0)
    for state, count in db.session.execute(stmt):
        key = state.value if hasattr(state, "value") else str(state)
        counts[key] = counts.get(key, 0) + count
    total = sum(counts.values())
    pending = counts["queued"] + counts["sending"]
    done = total > 0 and pending == 0
    return {"counts": counts, "total": total, "done": done, "state": _progress_state(counts)}


def _progress_state(counts: dict[str, int]) -> str:
    """What the progress view says: `empty` (nothing yet), `sending`, or once nothing is pending
    `sent` (every email handed over), `partial` (some failed, bounced or were not sent) or
    `failed` (none handed over)."""
    if not any(counts.values()):
        return "empty"
    if counts["queued"] or counts["sending"]:
        return "sending"
    handed = counts["sent"] + counts["delivered"]
    if handed == 0:
        return "failed"
    return "partial" if counts["failed"] + counts["bounced"] + counts["skipped"] else "sent"


@dataclass
class History:
    invitation: Invitation
    emails: list[OutgoingEmail]
    deliveries: dict[int, list[DeliveryEvent]]
    audit: list[AuditLog]


def history(invitation: Invitation) -> History:
    """Everything that happened to one invitation: its emails with the provider's reports, and
    the audit entries (who invited, answered, resent, revoked…)."""
    emails = list(
        db.session.scalars(
            sa.select(OutgoingEmail)
            .where(OutgoingEmail.invitation_id == invitation.id)
            .order_by(OutgoingEmail.id)
        )
    )
    deliveries: dict[int, list[DeliveryEvent]] = {e.id: [] for e in emails}
    if emails:
        for ev in db.session.scalars(
            sa.select(DeliveryEvent)
            .where(DeliveryEvent.outgoing_email_id.in_(list(deliveries)))
            .order_by(DeliveryEvent.occurred_at, DeliveryEvent.id)
        ):
            deliveries[ev.outgoing_email_id].append(ev)
    audit = list(
        db.session.scalars(
            sa.select(AuditLog)
            .where(AuditLog.object_type == "invitation", AuditLog.object_id == invitation.id)
            .options(joinedload(AuditLog.user))
            .order_by(AuditLog.created_at, AuditLog.id)
        )
    )
    return History(invitation, emails, deliveries, audit)


def invited_contact_ids(event_id: int, contact_ids: list[int] | None = None) -> set[int]:
    stmt = sa.select(Invitation.contact_id).where(Invitation.event_id == event_id)
    if contact_ids is not None:
        if not contact_ids:
            return set()
        stmt = stmt.where(Invitation.contact_id.in_(contact_ids))
    return set(db.session.scalars(stmt))


def not_invited_ids(event_id: int, contacts: sa.Select) -> list[int]:
    """Ids of the contacts selected by `contacts` (a directory query) not yet invited."""
    ids = contacts.with_only_columns(Contact.id).order_by(None)
    invited = sa.select(Invitation.contact_id).where(Invitation.event_id == event_id)
    return list(db.session.scalars(ids.where(Contact.id.not_in(invited)).order_by(Contact.id)))


def email_recipients(invitation_ids: list[int]) -> list[tuple[int, str | None, str]]:
    """(invitation id, address, language) of these invitations' contacts, as the outbox's
    `queue_emails` takes them (in id order)."""
    if not invitation_ids:
        return []
    rows = db.session.execute(
        sa.select(Invitation.id, Contact.email, Contact.language)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(Invitation.id.in_(invitation_ids))
        .order_by(Invitation.id)
    )
    return [(row.id, row.email, row.language.value) for row in rows]
