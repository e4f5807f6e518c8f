"""Retention: the personal answers given for an event (needs, interpretation, consents, a
delegation's travel notes) are cleared RETENTION_MONTHS after the event ended. Statuses and
check-ins stay, so the attendance reports do not change.

    result = purge_expired_answers()          # the caller commits
    result = purge_expired_answers(dry_run=True)

Set-based (one UPDATE per table, whatever the number of invitations) and idempotent: a second
run finds nothing left to clear.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..audit.operations import record_many
from ..core.columns import utcnow
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation
from ..programme.models import DelegationMember
from .schemas import PurgeResult


def cleared_answers() -> dict[str, Any]:
    """The invitation's personal answers, emptied (erasure and retention alike)."""
    return {
        "dietary_needs": None,
        "accessibility_needs": None,
        "interpretation_language": None,
        "diet_choices": [],
        "access_choices": [],
        "consent_data_at": None,
        "consent_photos": None,
    }


#: a delegation member's notes about the person
CLEARED_DELEGATION_NOTES: dict[str, Any] = {
    "travel_details": None,
    "visa_notes": None,
    "accommodation_notes": None,
}


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment `months` calendar months earlier (31 March - 1 → 28/29 Feb)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _non_empty_list(column: sa.ColumnElement) -> sa.ColumnElement[bool]:
    # JSON lists compared as their stored text: "[]" (and JSON null) mean nothing to clear.
    text = sa.cast(column, sa.Text)
    return sa.and_(column.is_not(None), text.not_in(["[]", "null"]))


def answers_held() -> sa.ColumnElement[bool]:
    """The invitation still holds some personal answer."""
    return sa.or_(
        Invitation.dietary_needs.is_not(None),
        Invitation.accessibility_needs.is_not(None),
        Invitation.interpretation_language.is_not(None),
        Invitation.consent_data_at.is_not(None),
        Invitation.consent_photos.is_not(None),
        _non_empty_list(Invitation.diet_choices),
        _non_empty_list(Invitation.access_choices),
    )


def _notes_held() -> sa.ColumnElement[bool]:
    return sa.or_(
        DelegationMember.travel_details.is_not(None),
        DelegationMember.visa_notes.is_not(None),
        DelegationMember.accommodation_notes.is_not(None),
    )


def purge_expired_answers(
    *, now: datetime | None = None, months: int | None = None, dry_run: bool = False
) -> PurgeResult:
    """Clear the personal answers of invitations to events that ended more than `months`
    (default RETENTION_MONTHS) months before `now`. One audit entry per event touched."""
    months = int(current_app.config.get("RETENTION_MONTHS", 6)) if months is None else months
    cutoff = months_before(now or utcnow(), months)
    expired = sa.select(Event.id).where(Event.ends_at < cutoff)
    invitation_ids = sa.select(Invitation.id).where(Invitation.event_id.in_(expired))

    per_event: dict[int, int] = dict(
        db.session.execute(
            sa.select(Invitation.event_id, sa.func.count())
            .where(Invitation.event_id.in_(expired), answers_held())
            .group_by(Invitation.event_id)
        ).all()
    )
    members_per_event: dict[int, int] = dict(
        db.session.execute(
            sa.select(Invitation.event_id, sa.func.count())
            .select_from(DelegationMember)
            .join(Invitation, Invitation.id == DelegationMember.invitation_id)
            .where(Invitation.event_id.in_(expired), _notes_held())
            .group_by(Invitation.event_id)
        ).all()
    )
    result = PurgeResult(
        cutoff=cutoff,
        months=months,
        dry_run=dry_run,
        events=len(set(per_event) | set(members_per_event)),
        invitations=sum(per_event.values()),
        delegation_members=sum(members_per_event.values()),
    )
    if dry_run or not result.events:
        return result

    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.event_id.in_(expired), answers_held())
        .values(**cleared_answers())
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(DelegationMember)
        .where(DelegationMember.invitation_id.in_(invitation_ids), _notes_held())
        .values(**CLEARED_DELEGATION_NOTES)
        .execution_options(synchronize_session=False)
    )
    for event_id in sorted(set(per_event) | set(members_per_event)):
        record_many(
            "event.purge_answers",
            "event",
            [event_id],
            {
                "invitations": per_event.get(event_id, 0),
                "delegation_members": members_per_event.get(event_id, 0),
                "retention_months": months,
            },
            actor="system",
        )
    # objects already loaded in this session must not write their old answers back
    db.session.expire_all()
    return result
