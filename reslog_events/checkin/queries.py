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
    return {
        "day": day,
        "checked_in": sum(by_gate.values()),
        "expected": counts.get(InvitationStatus.accepted, 0),
        "invited": sum(n for status, n in counts.items() if status != InvitationStatus.revoked),
        "walk_ins": walk_ins or 0,
        "by_gate": by_gate,
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
    """Invitees of the event matching every word of `q` (name, organisation or e-mail, folded
    the Turkish way: "sisli" finds "Şişli"); then, to fill up, directory contacts who were not
    invited, for registering a walk-in."""
    words = [(fold(word), word.lower()) for word in q.split() if fold(word)]
    if not words:
        return []
    day = today(event)
    conditions = [
        sa.or_(
            Contact.search_key.contains(folded, autoescape=True),
            Organisation.search_key.contains(folded, autoescape=True),
            Contact.email.contains(lowered, autoescape=True),
        )
        for folded, lowered in words
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
    items = [
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
    room = limit - len(items)
    if room > 0:
        already = sa.select(Invitation.id).where(
            Invitation.event_id == event.id, Invitation.contact_id == Contact.id
        )
        others = db.session.execute(
            sa.select(Contact.id, Contact.full_name, Organisation.name, Contact.email)
            .outerjoin(Organisation, Contact.organisation_id == Organisation.id)
            .where(Contact.erased_at.is_(None), ~already.exists(), *conditions)
            .order_by(Contact.sort_key, Contact.id)
            .limit(min(room, 10))
        ).all()
        items += [
            {
                "invitation_id": None,
                "contact_id": row[0],
                "full_name": row[1],
                "organisation": row[2],
                "email_hint": email_hint(row[3]),
                "status": None,
                "is_walk_in": False,
                "checkin_id": None,
                "checked_in_at": None,
                "gate": None,
            }
            for row in others
        ]
    return items


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
        )
        .join(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(Organisation, Invitation.organisation_id == Organisation.id)
        .outerjoin(CheckIn, _todays_checkin(event, day))
        .where(Invitation.event_id == event.id)
        .order_by(Contact.sort_key, Invitation.id)
    ).all()
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
