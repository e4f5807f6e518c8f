"""Check-in writes: scans, manual check-ins, walk-ins and undo (see `admission` for how a
door action is decided and logged)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..audit.operations import record
from ..auth.models import User
from ..core.api import ApiError, not_found
from ..core.columns import utcnow
from ..core.tokens import digest, normalise_checkin_code
from ..core.turkish import email_lower
from ..directory.models import Contact, Language, Organisation
from ..directory.queries import contact_in_use, organisation_by_name_or_code
from ..directory.unconfirmed import organisation_from_the_door
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus, RetiredCheckinCode
from ..invitations.operations import build_invitation
from . import statements as sql
from .admission import (
    Answer,
    Attendee,
    DoorAction,
    DoorEvent,
    answer,
    scan_time,
    shorten_scanned,
)
from .models import CheckIn, ScanLog
from .schemas import ManualCheckInIn, ScanBase, ScanIn, ScanResult, WalkInIn


def _action(event: DoorEvent | Event, body: ScanBase, user: User | None, scanned: str, method: str):
    when, future = scan_time(event, body.scanned_at)
    return DoorAction(
        event=event,
        nonce=body.nonce,
        scanned=scanned,
        gate=" ".join(body.gate.split())[:40],
        when=when,
        user=user,
        method=method,
        override=body.override,
        future=future,
    )


def scan(event_id: int, body: ScanIn, user: User | None) -> Answer:
    """A QR code scanned (or typed by a barcode reader) at a gate."""
    with sql.own_connection():
        return _scan(event_id, body, user)


def _scan(event_id: int, body: ScanIn, user: User | None) -> Answer:
    text = normalise_checkin_code(body.code)
    code_hash = digest(text)
    event, attendee = DoorEvent.load_with_code(event_id, code_hash)
    if event is None:
        raise not_found("Event")
    action = _action(event, body, user, shorten_scanned(text), "scan")
    # The nonce is not looked up first: a replay runs into the scan_log's unique constraint at
    # commit and is answered from there; fresh scans (nearly all of them) save a query.
    if event.is_cancelled:
        return action.finish(action.cancelled())
    if attendee is None:
        result = _unknown_code(event, code_hash)
    elif attendee.event_id != event.id:
        other = DoorEvent.load(attendee.event_id)
        result = answer(
            ScanResult.wrong_event,
            f"This code is for another event: {other.title}.",
            **attendee.fields(),
            event_id=other.id,
            event_title=other.title,
        )
    else:
        result = action.decide(attendee)
    return action.finish(result)


_RETIRED = sa.select(RetiredCheckinCode.invitation_id).where(
    RetiredCheckinCode.code_hash == sa.bindparam("code_hash")
)


def _unknown_code(event: DoorEvent, code_hash: str) -> Answer:
    retired = sql.connection().execute(_RETIRED, {"code_hash": code_hash}).scalar()
    if retired is None:
        return answer(ScanResult.invalid, "Unknown code.")
    attendee = Attendee.by_id(retired)
    fields = attendee.fields() if attendee and attendee.event_id == event.id else {}
    return answer(
        ScanResult.revoked,
        "This code was replaced by a newer one.",
        reason="retired_code",
        **fields,
    )


def manual_check_in(event: DoorEvent, body: ManualCheckInIn, user: User | None) -> Answer:
    """Check in an invitee found by search (no QR code at hand)."""
    action = _action(event, body, user, f"#{body.invitation_id}", "manual")
    stored = action.stored()
    if stored is not None:
        return stored
    attendee = Attendee.by_id(body.invitation_id)
    if attendee is None or attendee.event_id != event.id:
        raise not_found("Invitation")
    return action.finish(action.decide(attendee))


def find_organisation(text: str) -> Organisation | None:
    """A directory organisation by its code or its name (case- and accent-insensitive)."""
    return organisation_by_name_or_code(text)


def _contact_by_email(email: str) -> Contact | None:
    contact = db.session.scalar(sa.select(Contact).where(Contact.email == email_lower(email)))
    return contact if contact is not None and contact.erased_at is None else None


def _walk_in_contact(body: WalkInIn, event: Event) -> tuple[Contact, bool]:
    """The contact for a walk-in: the chosen one, the one with that e-mail, or a new one."""
    if body.contact_id is not None:
        contact = contact_in_use(body.contact_id)  # locked: an erasure cannot slip in
        if contact is None:
            raise not_found("Contact")
        return contact, False
    existing = _contact_by_email(body.email) if body.email else None
    if existing is not None:
        return existing, False
    organisation = None
    if body.organisation:
        organisation = find_organisation(body.organisation)
        if organisation is None and body.organisation_kind is not None:
            organisation = organisation_from_the_door(
                body.organisation,
                body.organisation_kind,
                body.organisation_province,
                event.country or "TR",
            )
        if organisation is None:
            message = _(
                "Not in the directory: pick one from the list, or give its kind to add it "
                "(an organiser confirms it later)."
            )
            raise ApiError(
                422, "validation_error", _("The body is not valid."), {"organisation": message}
            )
    language = current_app.config.get("DEFAULT_LANGUAGE", "tr")
    contact = Contact(
        full_name=body.full_name,
        email=body.email,
        organisation=organisation,
        position=body.position,
        language=Language(language) if language in Language.__members__ else Language.tr,
    )
    db.session.add(contact)
    try:
        db.session.flush()
    except IntegrityError:
        # The same e-mail address registered at another gate a moment ago: use that contact.
        db.session.rollback()
        existing = _contact_by_email(body.email) if body.email else None
        if existing is None:
            raise
        return existing, False
    record("contact.create", contact, {"full_name": contact.full_name, "walk_in": True})
    return contact, True


def register_walk_in(event: Event, body: WalkInIn, user: User | None) -> Answer:
    """Someone at the door without an invitation: contact + invitation + check-in, one step."""
    scanned = "walk-in" if body.contact_id is None else f"walk-in contact #{body.contact_id}"
    action = _action(event, body, user, scanned, "walk_in")
    stored = action.stored()
    if stored is not None:
        return stored
    if event.is_cancelled:
        return action.finish(action.cancelled())
    refusal = action.wrong_day()
    if refusal is not None:  # before anyone is added to the directory
        return action.finish(refusal)
    contact, created = _walk_in_contact(body, event)
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.event_id == event.id, Invitation.contact_id == contact.id
        )
    )
    if invitation is None:
        invitation = build_invitation(event, contact, invited_by=user, walk_in=True).invitation
        db.session.flush()
        # No message was written to them: no e-mail status until one is (mail.outbox sets it).
        # (Set after the insert: the column's default would take a None for "unset".)
        invitation.email_status = None
        record(
            "invitation.walk_in",
            invitation,
            {"event_id": event.id, "contact_id": contact.id, "contact_created": created},
        )
    else:
        action.method = "manual"  # invited after all: an ordinary check-in, not a walk-in
    if body.contact_id is None and not created:
        # Found by the e-mail typed: linked to that contact, but the staff member sees only
        # what they typed (an address must not reveal who else is in the directory).
        result = action.decide(Attendee.by_id(invitation.id))
        result.body.update(full_name=body.full_name, organisation=body.organisation)
        result.body.pop("contact_id", None)
    else:
        result = action.decide(
            Attendee.by_id(invitation.id), contact_id=contact.id, contact_created=created
        )
    return action.finish(result)


def undo_check_in(event: Event, checkin_id: int, user: User | None) -> dict[str, Any]:
    """Take back a mistaken check-in (audited, and written to the check-in log). A walk-in
    registered by mistake loses its invitation too, so that reports do not count it."""
    checkin = db.session.scalar(
        sa.select(CheckIn).where(CheckIn.id == checkin_id, CheckIn.event_id == event.id)
    )
    if checkin is None:
        raise not_found("Check-in")
    invitation = checkin.invitation
    data = {
        "event_id": event.id,
        "invitation_id": invitation.id,
        "day": checkin.day.isoformat(),
        "checked_in_at": checkin.checked_in_at.isoformat(),
        "gate": checkin.gate,
        "method": checkin.method,
    }
    deleted = db.session.execute(sa.delete(CheckIn).where(CheckIn.id == checkin_id)).rowcount
    if not deleted:  # undone by someone else meanwhile
        db.session.rollback()
        raise not_found("Check-in")
    record("checkin.undo", invitation, data)
    walk_in_revoked = False
    remaining = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CheckIn)
        .where(CheckIn.invitation_id == invitation.id)
    )
    if invitation.is_walk_in and not remaining and invitation.status != InvitationStatus.revoked:
        invitation.status = InvitationStatus.revoked
        invitation.revoked_at = utcnow()
        record("invitation.revoke", invitation, {"reason": "walk-in check-in undone"})
        walk_in_revoked = True
    result = {
        "undone": True,
        "checkin_id": checkin_id,
        "invitation_id": invitation.id,
        "full_name": invitation.contact.full_name,
        "walk_in_revoked": walk_in_revoked,
    }
    now = utcnow()
    db.session.add(
        ScanLog(
            event_id=event.id,
            nonce=f"undo:{checkin_id}",
            scanned=f"#{invitation.id}",
            gate=checkin.gate,
            user_id=user.id if user else None,
            invitation_id=invitation.id,
            scanned_at=now,
            received_at=now,
            result="undone",
            status_code=200,
            response={**result, "result": "undone", "method": "undo"},
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise not_found("Check-in") from None
    return result
