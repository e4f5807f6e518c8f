"""The programme calendar: which events a calendar view shows (filters by union, level, kind,
province, "mine"), and the month and week grids. An event sits on the days it touches in its own
zone (a visit to Stockholm on 3 June is on 3 June)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from babel import Locale

from ..auth.models import User
from ..auth.permissions import EDITORS
from ..core.columns import utcnow
from ..directory.models import (
    Contact,
    Organisation,
    OrganisationKind,
    organisation_label,
    union_membership,
)
from ..directory.provinces import province_name, resolve_any
from ..directory.queries import provinces as directory_provinces
from ..events.models import Event, EventStatus
from ..events.visibility import visible_to
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from .queries import event_days
from .schemas import CalendarQuery

#: how far feeds look back: a year of past events stays in subscribers' calendars
FEED_PAST_DAYS = 365


@dataclass
class CalendarDay:
    day: date
    in_range: bool
    is_today: bool
    events: list[Event] = field(default_factory=list)


def _members_of(union_id: int) -> sa.Select:
    return sa.select(union_membership.c.organisation_id).where(
        union_membership.c.union_id == union_id
    )


def filtered(stmt: sa.Select, query: CalendarQuery, user: User | None) -> sa.Select:
    """`stmt` (a select of events) narrowed by the calendar's filters."""
    if query.union is not None:
        members = _members_of(query.union)
        invited = sa.select(Invitation.event_id).where(
            Invitation.status != InvitationStatus.revoked,
            sa.or_(
                Invitation.organisation_id == query.union,
                Invitation.organisation_id.in_(members),
            ),
        )
        stmt = stmt.where(
            sa.or_(
                Event.host_organisation_id == query.union,
                Event.host_organisation_id.in_(members),
                Event.id.in_(invited),
            )
        )
    if query.level is not None:
        stmt = stmt.where(Event.level == query.level)
    if query.kind is not None:
        stmt = stmt.where(Event.kind == query.kind)
    if query.province:
        # a code from the picker, or a province's name in any spelling (bookmarked links)
        codes = resolve_any(query.province) or [query.province]
        places = [query.province, *(province_name(c) for c in codes)]
        in_province = sa.select(Organisation.id).where(Organisation.province.in_(codes))
        invited = sa.select(Invitation.event_id).where(
            Invitation.status != InvitationStatus.revoked,
            Invitation.organisation_id.in_(in_province),
        )
        stmt = stmt.where(
            sa.or_(
                Event.host_organisation_id.in_(in_province),
                Event.city.in_(places),
                Event.id.in_(invited),
            )
        )
    if query.mine and user is not None:
        stmt = stmt.where(Event.organiser_id == user.id)
    return stmt


def visible_events(user: User) -> sa.Select:
    """Events a user's calendar shows: those they may see, drafts only to those who edit
    events."""
    stmt = sa.select(Event).where(visible_to(user))
    if user.role not in EDITORS:
        stmt = stmt.where(Event.status != EventStatus.draft)
    return stmt


def events_between(stmt: sa.Select, first: date, last: date) -> list[Event]:
    """The events of `stmt` touching a day from `first` to `last` (each in its own zone)."""
    # Zones are at most 14 hours from UTC: widen by a day, then compare the local days.
    start = datetime.combine(first - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=2), time.min, tzinfo=UTC)
    rows = db.session.scalars(
        stmt.where(Event.starts_at < end, Event.ends_at > start).order_by(Event.starts_at, Event.id)
    )
    return [e for e in rows if any(first <= d <= last for d in event_days(e))]


def first_weekday(locale: str) -> int:
    """0 for Monday (Turkish, Swedish), 6 for Sunday (US English), 5 for Saturday (Arabic)."""
    return Locale.parse(locale).first_week_day


def week_start(day: date, locale: str) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday(locale)) % 7)


def _grid(first: date, last: date, in_range, events: list[Event], today: date):
    days = {}
    current = first
    while current <= last:
        days[current] = CalendarDay(current, in_range(current), current == today)
        current += timedelta(days=1)
    for event in events:
        for day in event_days(event):
            if day in days:
                days[day].events.append(event)
    return list(days.values())


def month_grid(anchor: date, locale: str, stmt: sa.Select, today: date) -> list[list[CalendarDay]]:
    """The weeks (rows of seven days) of `anchor`'s month, with the events of each day."""
    month_first = anchor.replace(day=1)
    next_month = (month_first + timedelta(days=32)).replace(day=1)
    first = week_start(month_first, locale)
    last = week_start(next_month - timedelta(days=1), locale) + timedelta(days=6)
    events = events_between(stmt, first, last)
    days = _grid(first, last, lambda d: d.month == anchor.month, events, today)
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def week_days(anchor: date, locale: str, stmt: sa.Select, today: date) -> list[CalendarDay]:
    first = week_start(anchor, locale)
    last = first + timedelta(days=6)
    return _grid(first, last, lambda _d: True, events_between(stmt, first, last), today)


def shifted(anchor: date, view: str, step: int) -> date:
    """The anchor of the previous (-1) or next (+1) month or week."""
    if view == "week":
        return anchor + timedelta(days=7 * step)
    month = anchor.replace(day=1)
    if step < 0:
        return (month - timedelta(days=1)).replace(day=1)
    return (month + timedelta(days=32)).replace(day=1)


def union_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.code)
        .where(Organisation.kind == OrganisationKind.union)
        .order_by(Organisation.sort_key)
    )
    return [(r.id, organisation_label(r.name, r.code)) for r in rows]


def province_choices() -> list[tuple[str, str]]:
    """(code, name in the page's language) of the directory's provinces."""
    return directory_provinces()


# Feeds --------------------------------------------------------------------------------------------


def public_events() -> list[Event]:
    """The public programme: published (or later cancelled) events marked public."""
    since = utcnow() - timedelta(days=FEED_PAST_DAYS)
    return list(
        db.session.scalars(
            sa.select(Event)
            .where(
                Event.is_public.is_(True),
                Event.published_at.is_not(None),
                Event.status != EventStatus.draft,
                Event.ends_at > since,
            )
            .order_by(Event.starts_at, Event.id)
        )
    )


def user_events(user: User) -> list[Event]:
    """The private feed: events the user organises, and those their address is invited to (as
    a contact of the directory) unless they declined or were revoked; of those, the ones the
    user may see (a union-scoped user's feed keeps to their union and teams)."""
    since = utcnow() - timedelta(days=FEED_PAST_DAYS)
    invited = (
        sa.select(Invitation.event_id)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(
            Contact.email == user.email.lower(),
            Invitation.status.not_in((InvitationStatus.declined, InvitationStatus.revoked)),
        )
    )
    return list(
        db.session.scalars(
            sa.select(Event)
            .where(
                Event.ends_at > since,
                visible_to(user),
                sa.or_(
                    Event.organiser_id == user.id,
                    sa.and_(Event.id.in_(invited), Event.status != EventStatus.draft),
                ),
            )
            .order_by(Event.starts_at, Event.id)
        )
    )


def last_change(user: User | None = None) -> datetime:
    """When anything a feed shows may last have changed: the latest change of any event (and of
    the user's invitations). Conservative: an event leaving the feed also moves it."""
    latest = db.session.scalar(sa.select(sa.func.max(Event.updated_at)))
    candidates: list[Any] = [latest]
    if user is not None:
        candidates.append(
            db.session.scalar(
                sa.select(sa.func.max(Invitation.updated_at))
                .join(Contact, Contact.id == Invitation.contact_id)
                .where(Contact.email == user.email.lower())
            )
        )
    moments = [_aware(c) for c in candidates if c is not None]
    return max(moments) if moments else datetime(2000, 1, 1, tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    # max() over a UTCDateTime column comes back raw (naive on SQLite).
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
