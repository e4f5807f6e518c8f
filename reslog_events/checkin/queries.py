"""Check-in reads: counters, search at the door, the offline list, the check-in log."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..core.turkish import fold
from ..directory.models import Contact, Organisation
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus, RetiredCheckinCode
from . import admission
from .models import CheckIn, ScanLog


def today(event: Event) -> date:
    """The event-local date now: the day whose check-ins the door counts."""
    return admission.event_day(event, admission.clock())


def stats(event: Event) -> dict[str, Any]:
    day = today(event)
    by_gate = dict(
        db.session.execute(
            sa.select(CheckIn.gate, sa.func.count())
            .where(CheckIn.event_id == event.id, CheckIn.day == day)
            .group_by(CheckIn.gate)
        ).all()
    )
    walk_ins = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CheckIn)
        .join(Invitation, CheckIn.invitation_id == Invitation.id)
        .where(CheckIn.event_id == event.id, CheckIn.day == day, Invitation.is_walk_in.is_(True))
    )
    counts = dict(
        db.session.execute(
            sa.select(Invitation.status, sa.func.count())
            .where(Invitation.event_id == event.id, Invitation.is_walk_in.is_(False))
            .group_by(Invitation.status)
        ).all()
    )
    checked_in = sum(by_gate.values())
    first, last = admission.event_days(event)
    return {
        "day": day,
        "checked_in": checked_in,
        "expected": counts.get(InvitationStatus.accepted, 0),
        "invited": sum(n for status, n in counts.items() if status != InvitationStatus.revoked),
        "walk_ins": walk_ins or 0,
        "by_gate": by_gate,
        "capacity": event.capacity,
        "over_capacity": event.capacity is not None and checked_in > event.capacity,
        "is_event_day": first <= day <= last,
        "first_day": first,
        "last_day": last,
    }


def gates(event: Event) -> list[str]:
    """Gate names used so far at this event, to offer them again."""
    return list(
        db.session.scalars(
            sa.select(CheckIn.gate)
            .where(CheckIn.event_id == event.id, CheckIn.gate != "")
            .group_by(CheckIn.gate)
            .order_by(sa.func.count().desc())
            .limit(10)
        )
    )


def _todays_checkin(event: Event, day: date):
    return sa.and_(
        CheckIn.invitation_id == Invitation.id, CheckIn.event_id == event.id, CheckIn.day == day
    )


def email_hint(email: str | None) -> str | None:
    """`ay***@example.org`: enough to tell two namesakes apart, not to harvest addresses."""
    if not email or "@" not in email:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:2]}***@{domain}"


def search(event: Event, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """The event's invitees matching every word of `q` in their name or organisation, folded
    the Turkish way ("sisli" finds "Şişli"). Never by e-mail text, and never anyone outside the
    event's invitations: door staff need to find their guests, not to browse the directory."""
    words = [fold(word) for word in q.split() if fold(word)]
    if not words:
        return []
    day = today(event)
    conditions = [
        sa.or_(
            Contact.search_key.contains(folded, autoescape=True),
            Organisation.search_key.contains(folded, autoescape=True),
        )
        for folded in words
    ]
    invited = db.session.execute(
        sa.select(
            Invitation.id,
            Contact.id,
            Contact.full_name,
            Organisation.name,
            Contact.email,
            Invitation.status,
            Invitation.is_walk_in,
            CheckIn.id,
            CheckIn.checked_in_at,
            CheckIn.gate,
        )
        .join(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(Organisation, Invitation.organisation_id == Organisation.id)
        .outerjoin(CheckIn, _todays_checkin(event, day))
        .where(Invitation.event_id == event.id, *conditions)
        .order_by(Contact.sort_key, Invitation.id)
        .limit(limit)
    ).all()
    return [
        {
            "invitation_id": row[0],
            "contact_id": row[1],
            "full_name": row[2],
            "organisation": row[3],
            "email_hint": email_hint(row[4]),
            "status": row[5].value,
            "is_walk_in": row[6],
            "checkin_id": row[7],
            "checked_in_at": row[8],
            "gate": row[9],
        }
        for row in invited
    ]


def expected(event: Event) -> dict[str, Any]:
    """Everything the scanner page needs to answer a scan without the network."""
    day = today(event)
    rows = db.session.execute(
        sa.select(
            Invitation.id,
            Invitation.checkin_code_hash,
            Contact.full_name,
            Organisation.name,
            Invitation.status,
            Invitation.is_walk_in,
            CheckIn.checked_in_at,
            CheckIn.gate,
            Invitation.responded_at,
            Invitation.waitlisted_at,
        )
        .join(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(Organisation, Invitation.organisation_id == Organisation.id)
        .outerjoin(CheckIn, _todays_checkin(event, day))
        .where(Invitation.event_id == event.id)
        .order_by(Contact.sort_key, Invitation.id)
    ).all()
    # The waitlist's order, as the RSVP pages count it (rsvp.queries.waitlist_position).
    waitlist = sorted(
        (r[9], r[0]) for r in rows if r[4] == InvitationStatus.waitlisted and r[9] is not None
    )
    position = {invitation_id: n for n, (_, invitation_id) in enumerate(waitlist, start=1)}
    items = [
        {
            "invitation_id": r[0],
            "code_hash": r[1],
            "full_name": r[2],
            "organisation": r[3],
            "status": r[4].value,
            "is_walk_in": r[5],
            "checked_in_at": r[6],
            "gate": r[7],
            "responded_at": r[8] if r[4] == InvitationStatus.declined else None,
            "waitlist_position": position.get(r[0]),
        }
        for r in rows
    ]
    retired = db.session.scalars(
        sa.select(RetiredCheckinCode.code_hash)
        .join(Invitation, RetiredCheckinCode.invitation_id == Invitation.id)
        .where(Invitation.event_id == event.id)
    ).all()
    return {
        "event_id": event.id,
        "title": event.title,
        "timezone": event.timezone,
        "status": event.status.value,
        "day": day,
        "first_day": admission.event_days(event)[0],
        "last_day": admission.event_days(event)[1],
        "ends_at": event.ends_at,
        "capacity": event.capacity,
        "generated_at": admission.clock(),
        "items": items,
        "total": len(items),
        "retired_code_hashes": list(retired),
    }


def checkins_stmt(event: Event, day: date | None = None, gate: str | None = None) -> sa.Select:
    stmt = (
        sa.select(CheckIn, Contact.full_name, Organisation.name, Invitation.is_walk_in)
        .join(Invitation, CheckIn.invitation_id == Invitation.id)
        .join(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(Organisation, Invitation.organisation_id == Organisation.id)
        .where(CheckIn.event_id == event.id)
        .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
    )
    if day is not None:
        stmt = stmt.where(CheckIn.day == day)
    if gate is not None:
        stmt = stmt.where(CheckIn.gate == gate)
    return stmt


def checkin_row(row: Any) -> dict[str, Any]:
    checkin = row[0]
    return {
        "id": checkin.id,
        "invitation_id": checkin.invitation_id,
        "day": checkin.day,
        "checked_in_at": checkin.checked_in_at,
        "gate": checkin.gate,
        "method": checkin.method,
        "user_id": checkin.user_id,
        "full_name": row[1],
        "organisation": row[2],
        "is_walk_in": row[3],
    }


_LogUser = aliased(User)


def log_stmt(event: Event, result: str | None = None, gate: str | None = None) -> sa.Select:
    """The check-in log, newest first: every scan with who scanned it and whom it named."""
    stmt = (
        sa.select(ScanLog, _LogUser.name, Contact.full_name, Organisation.name)
        .outerjoin(_LogUser, ScanLog.user_id == _LogUser.id)
        .outerjoin(Invitation, ScanLog.invitation_id == Invitation.id)
        .outerjoin(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(Organisation, Invitation.organisation_id == Organisation.id)
        .where(ScanLog.event_id == event.id)
        .order_by(ScanLog.received_at.desc(), ScanLog.id.desc())
    )
    if result:
        stmt = stmt.where(ScanLog.result == result)
    if gate:
        stmt = stmt.where(ScanLog.gate == gate)
    return stmt


def log_row(row: Any) -> dict[str, Any]:
    log = row[0]
    return {
        "id": log.id,
        "scanned_at": log.scanned_at,
        "received_at": log.received_at,
        "gate": log.gate,
        "user_id": log.user_id,
        "user_name": row[1],
        "scanned": log.scanned,
        "result": log.result,
        "method": (log.response or {}).get("method", "scan"),
        "override": bool((log.response or {}).get("override", False)),
        "invitation_id": log.invitation_id,
        "full_name": row[2],
        "organisation": row[3],
    }


def log_gates(event: Event) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(ScanLog.gate)
            .where(ScanLog.event_id == event.id, ScanLog.gate != "")
            .group_by(ScanLog.gate)
            .order_by(ScanLog.gate)
        )
    )


def organisation_names(limit: int = 3000) -> list[str]:
    """Directory organisations for the walk-in form's suggestions, in Turkish order."""
    return list(
        db.session.scalars(
            sa.select(Organisation.name).order_by(Organisation.sort_key).limit(limit)
        )
    )
