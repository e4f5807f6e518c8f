"""Writes on invitations: inviting many contacts at once, resending one, and the secrets.

    result = invite_contacts(event, [3, 5, 8], invited_by=user, note="…")
    db.session.commit()        # the invitation emails are enqueued after this commit

Inviting is set-based (a few statements whatever the number of contacts): one INSERT … ON
CONFLICT DO NOTHING for the invitations (a contact invited twice at once is invited once), one
multi-row INSERT for their outbox rows. A draft event's invitations wait: their emails are queued
when the event is published (see receivers.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.errors import DomainError
from ..core.tokens import digest, new_checkin_code, new_rsvp_token, seal, unseal
from ..directory.models import Contact
from ..directory.queries import contacts_in_use
from ..events.models import Event, EventStatus
from ..extensions import db
from .models import EmailStatus, Invitation, InvitationStatus, RetiredCheckinCode

#: ids per IN (…) list and rows per INSERT statement
CHUNK = 2000


class InvitationRefused(DomainError):
    """The invitations cannot be sent: `code` for the API (409), `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(409, code, message)


class UnknownContacts(Exception):
    def __init__(self, ids: list[int]) -> None:
        super().__init__(f"unknown contacts {ids}")
        self.ids = ids


@dataclass
class InviteOutcome:
    created: int
    already_invited: int
    emails_queued: int
    first_outgoing_id: int | None
    invitation_ids: list[int]


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


def shown(ids: list[int], limit: int = 50) -> str:
    """Ids for a message: the first `limit`, then an ellipsis."""
    return ", ".join(str(i) for i in ids[:limit]) + ("…" if len(ids) > limit else "")


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _insert_ignoring_duplicates(rows: list[dict]) -> list[tuple[int, int]]:
    """INSERT the invitation rows; a (event, contact) pair that exists already is skipped.
    Returns (id, contact_id) of the rows really inserted."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    created: list[tuple[int, int]] = []
    for chunk in _chunks(rows):
        stmt = (
            insert(Invitation)
            .on_conflict_do_nothing(index_elements=["event_id", "contact_id"])
            .returning(Invitation.id, Invitation.contact_id)
        )
        created.extend(tuple(r) for r in db.session.execute(stmt, chunk))
    return created


def _invitation_row(event: Event, contact_id: int, organisation_id, user_id, now) -> dict:
    token = new_rsvp_token()
    code = new_checkin_code()
    return {
        "event_id": event.id,
        "contact_id": contact_id,
        "organisation_id": organisation_id,
        "status": InvitationStatus.pending,
        "email_status": EmailStatus.queued,
        "uid": uuid.uuid4().hex,
        "token_hash": digest(token),
        "token_sealed": seal(token),
        "checkin_code_hash": digest(code),
        "checkin_code_sealed": seal(code),
        "is_walk_in": False,
        "invited_by_id": user_id,
        "invited_at": now,
        "updated_at": now,
    }


def invite_contacts(
    event: Event,
    contact_ids: list[int],
    *,
    invited_by: User | None = None,
    note: str | None = None,
) -> InviteOutcome:
    """Invite the contacts to the event; those already invited are counted, not touched.

    Raises UnknownContacts (ids that are not contacts, or erased ones) and InvitationRefused
    (the event is cancelled or over). The caller commits.
    """
    if event.is_cancelled:
        raise InvitationRefused("event_cancelled", _("The event is cancelled."))
    if event.has_ended:
        raise InvitationRefused("event_ended", _("The event is over."))
    wanted = list(dict.fromkeys(contact_ids))
    # Locked until the commit: an erasure of one of them either waits for this transaction
    # (and then cancels what it queued) or finishes first (and the contact is refused here).
    found = contacts_in_use(wanted)
    unknown = [cid for cid in wanted if cid not in found]
    if unknown:
        erased = db.session.scalars(
            sa.select(Contact.id)
            .where(Contact.id.in_(unknown[:CHUNK]), Contact.erased_at.is_not(None))
            .order_by(Contact.id)
        ).all()
        if erased:
            raise InvitationRefused(
                "contact_erased",
                _("These contacts were erased and cannot be invited: %(ids)s.", ids=shown(erased)),
            )
        raise UnknownContacts(unknown)
    existing: set[int] = set()
    for chunk in _chunks(wanted):
        existing.update(
            db.session.scalars(
                sa.select(Invitation.contact_id).where(
                    Invitation.event_id == event.id, Invitation.contact_id.in_(chunk)
                )
            )
        )
    now = utcnow()
    user_id = invited_by.id if invited_by is not None else None
    rows = [
        _invitation_row(event, cid, found[cid], user_id, now)
        for cid in wanted
        if cid not in existing
    ]
    created = _insert_ignoring_duplicates(rows) if rows else []
    invitation_ids = [inv_id for inv_id, _cid in created]
    outgoing_ids: list[int] = []
    if invitation_ids and event.status == EventStatus.published:
        outgoing_ids = queue_invitation_emails(invitation_ids, note=note, fresh=True)
    record(
        "invitations.invite",
        event,
        {
            "created": len(created),
            "already_invited": len(wanted) - len(created),
            "emails_queued": len(outgoing_ids),
            "held_until_published": event.status == EventStatus.draft,
            "note": note or None,
            "first_outgoing_id": outgoing_ids[0] if outgoing_ids else None,
        },
        user_id=user_id,
    )
    return InviteOutcome(
        created=len(created),
        already_invited=len(wanted) - len(created),
        emails_queued=len(outgoing_ids),
        first_outgoing_id=outgoing_ids[0] if outgoing_ids else None,
        invitation_ids=invitation_ids,
    )


def queue_invitation_emails(
    invitation_ids: list[int],
    *,
    kind: str = "invitation",
    note: str | None = None,
    payload: dict | None = None,
    fresh: bool = False,
) -> list[int]:
    """Outbox rows of `kind` for these invitations (their contacts' addresses and languages);
    `payload` is what the renderer needs beyond the records, `note` the organiser's word;
    `fresh`: the invitations were created in this transaction."""
    from ..mail.outbox import queue_emails

    recipients: list[tuple[int, str | None, str]] = []
    for chunk in _chunks(invitation_ids):
        recipients.extend(
            (inv_id, email, language.value if language else None)
            for inv_id, email, language in db.session.execute(
                sa.select(Invitation.id, Contact.email, Contact.language)
                .join(Contact, Contact.id == Invitation.contact_id)
                .where(Invitation.id.in_(chunk))
                .order_by(Invitation.id)
            )
        )
    payload = dict(payload or {})
    if note:
        payload["note"] = note
    return queue_emails(
        kind, recipients, payload=payload, fresh=set(invitation_ids) if fresh else frozenset()
    )


def resend_invitation(invitation: Invitation, *, by: User | None = None) -> int:
    """Queue the invitation email once more (e.g. after the contact's address was corrected).
    Returns the outbox id."""
    from ..mail.outbox import queue_email

    event = invitation.event
    if event.is_cancelled:
        raise InvitationRefused("event_cancelled", _("The event is cancelled."))
    if event.status != EventStatus.published:
        raise InvitationRefused(
            "event_not_published", _("Invitations leave when the event is published.")
        )
    if invitation.status == InvitationStatus.revoked:
        raise InvitationRefused("revoked", _("The invitation was revoked."))
    row = queue_email("invitation", invitation=invitation, payload={"resent": True})
    if row is None:
        raise InvitationRefused("no_address", _("The contact has no email address."))
    record(
        "invitation.resend",
        invitation,
        {"outgoing_id": row.id, "to": row.to_address},
        user_id=by.id if by is not None else None,
    )
    return row.id
