"""Reads on events: the filtered list, and the counts the organisers' pages show."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ..auth.models import User
from ..core.columns import utcnow
from ..core.turkish import fold
from ..directory.models import Organisation, OrganisationKind, organisation_label
from ..directory.queries import organisations_query
from ..directory.schemas import OrganisationFilters
from ..extensions import db
from ..invitations.models import Invitation
from ..invitations.queries import notified_statement
from ..reports.suppression import counts_for_reader
from .models import Event, EventStatus
from .schemas import EventQuery
from .visibility import is_union_scoped, union_host_ids, visible_to


def _day_start(day: Any, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _matching_ids(words: str) -> list[int]:
    """Ids of events whose title, venue or city contain every word (Turkish-aware folding:
    "istanbul" finds İstanbul). Events number in the thousands at most, so this runs in Python
    and works the same on every database."""
    wanted = fold(words).split()
    rows = db.session.execute(sa.select(Event.id, Event.title, Event.venue, Event.city))
    ids = []
    for row in rows:
        text = fold(" ".join(part or "" for part in (row.title, row.venue, row.city)))
        if all(word in text for word in wanted):
            ids.append(row.id)
    return ids


def events_statement(query: EventQuery, user: User, now: datetime | None = None) -> sa.Select:
    """The events `query` asks for among those `user` may see, in a useful order: upcoming
    soonest first, past latest first, otherwise by start."""
    now = now or utcnow()
    stmt = sa.select(Event).where(visible_to(user))
    if query.status is not None:
        stmt = stmt.where(Event.status == query.status)
    if query.kind is not None:
        stmt = stmt.where(Event.kind == query.kind)
    if query.level is not None:
        stmt = stmt.where(Event.level == query.level)
    home = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    if query.from_ is not None:
        stmt = stmt.where(Event.starts_at >= _day_start(query.from_, home))
    if query.to is not None:
        stmt = stmt.where(Event.starts_at < _day_start(query.to + timedelta(days=1), home))
    if query.q:
        stmt = stmt.where(Event.id.in_(_matching_ids(query.q)))
    if query.when == "upcoming":
        return stmt.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    if query.when == "past":
        return stmt.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    return stmt.order_by(Event.starts_at, Event.id)


def door_events_today(user: User, now: datetime | None = None) -> list[Event]:
    """The events door staff may scan at today: published, seen by `user`, and touching today
    in their own time zone."""
    now = now or utcnow()
    # Zones are at most 14 hours from UTC: a day either side, then each event's local days.
    rows = db.session.scalars(
        sa.select(Event)
        .where(
            visible_to(user),
            Event.status == EventStatus.published,
            Event.starts_at < now + timedelta(days=1),
            Event.ends_at > now - timedelta(days=1),
        )
        .order_by(Event.starts_at, Event.id)
    )
    return [event for event in rows if _touches(event, now.astimezone(event.zone).date())]


def _touches(event: Event, day: date) -> bool:
    """Whether the event runs on `day` in its zone (an end at midnight ends the day before)."""
    last = (event.local_ends_at - timedelta(microseconds=1)).date()
    return event.local_starts_at.date() <= day <= last


def invitation_summary(event_id: int) -> dict[str, int]:
    """How many invitations of the event have each status."""
    rows = db.session.execute(
        sa.select(Invitation.status, sa.func.count())
        .where(Invitation.event_id == event_id)
        .group_by(Invitation.status)
    )
    return {status.value: count for status, count in rows}


def answer_counts(event_id: int, reader: Any) -> dict[str, int | None]:
    """The event page's counts of answers, as `reader` may see them: to coordinators small
    counts are hidden as on the dashboard (`reports.suppression`, docs/reports.md), or the
    page would show "Declined 1" that the report of the same event hides."""
    summary = invitation_summary(event_id)
    return counts_for_reader(
        reader,
        {
            "invited": sum(summary.values()) - summary.get("revoked", 0),
            "accepted": summary.get("accepted", 0),
            "declined": summary.get("declined", 0),
            "tentative": summary.get("tentative", 0),
            "no_response": summary.get("pending", 0),
            "waitlisted": summary.get("waitlisted", 0),
            "substituted": summary.get("substituted", 0),
        },
    )


def invitees_to_notify(event_id: int) -> int:
    """Invitees who hear about a change or a cancellation (the receivers' definition): all but
    those who declined or were revoked, once their invitation has gone out."""
    counted = notified_statement(event_id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0


def hosts_statement(user: User, q: str | None = None) -> sa.Select:
    """Organisations `user` may name as an event's host, matching the words or code `q`: any
    confirmed organisation of the directory (an Adana roundtable hosted by Adana BB, a visit by
    Botkyrka); for a union-scoped user only their union and its members, union first, as
    `operations._check_host` insists (an event hosted elsewhere would leave their reach)."""
    stmt = organisations_query(OrganisationFilters(q=q)).where(Organisation.confirmed.is_(True))
    if not is_union_scoped(user):
        return stmt
    assert user.union_id is not None
    return (
        stmt.where(Organisation.id.in_(union_host_ids(user.union_id)))
        .order_by(None)
        .order_by(Organisation.id != user.union_id, Organisation.sort_key, Organisation.id)
    )


def host_choices(user: User) -> list[tuple[int, str]]:
    """The host list the form shows before (or without) its search: unions and international
    partners; for a union-scoped user their union and its members (union first). Any other
    organisation is found by the form's search (`hosts_statement`)."""
    stmt = sa.select(Organisation.id, Organisation.name, Organisation.code).where(
        Organisation.confirmed.is_(True)
    )
    if is_union_scoped(user):
        assert user.union_id is not None
        stmt = stmt.where(Organisation.id.in_(union_host_ids(user.union_id))).order_by(
            Organisation.id != user.union_id, Organisation.sort_key
        )
    else:
        stmt = stmt.where(
            Organisation.kind.in_((OrganisationKind.union, OrganisationKind.international))
        ).order_by(Organisation.sort_key)
    rows = db.session.execute(stmt)
    return [(row.id, organisation_label(row.name, row.code)) for row in rows]
