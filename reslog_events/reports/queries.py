"""The attendance report: every count is one SQL aggregation in the database.

The counts (the contract's definitions, made precise):

- Cancelled events count nowhere; revoked invitations count nowhere (not even as attended).
- `invited`: invitations not revoked, walk-ins included (a walk-in is an invitation row made at
  the door). So `invited = accepted + declined + tentative + no_response + waitlisted`.
- `attended`: invitations with at least one check-in; `attendance_days`: their check-in days.
- `walk_ins`: attended without having accepted (a walk-in, or a pending/declined/tentative/
  waitlisted invitee who came anyway).
- `no_shows`: accepted, no check-in, not a walk-in, and the event has ended.
- `unique_participants`: distinct contacts who attended.
- An invitation counts under `Invitation.organisation_id` (the contact's organisation when
  invited) and that organisation's province, country and unions. A union counts its members'
  invitations and its own staff's; an organisation in two unions counts in both, so the union
  rows may add up to more than the totals: totals are always over distinct invitations.
- Gender and role are the contact's current ones.
- Months and the `from`/`to` dates are those of the event's start in the report zone,
  Europe/Istanbul, taken as its fixed offset UTC+03:00 (Türkiye's time since September 2016),
  so that SQLite and PostgreSQL agree to the minute.

The counts come from `attendance_facts` (one narrow row per invitation with its check-in days,
kept by triggers), joined to the small `events` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from ..core.api import ApiError
from ..core.columns import utcnow
from ..directory.models import Contact, Organisation, OrganisationKind
from ..events.models import Event, EventKind, EventLevel, EventStatus
from ..extensions import db
from .groupings import GROUPINGS, events, facts, organisations, union_map
from .schemas import AttendanceFilters, GroupBy

#: the report's zone (documented above): Europe/Istanbul's fixed offset since 2016
REPORT_ZONE_NAME = "Europe/Istanbul"
REPORT_OFFSET = timedelta(hours=3)
REPORT_ZONE = timezone(REPORT_OFFSET, "TRT")

COUNTS = (
    "invited",
    "accepted",
    "declined",
    "tentative",
    "no_response",
    "waitlisted",
    "attended",
    "walk_ins",
    "no_shows",
    "unique_participants",
    "attendance_days",
)
#: the contract's row fields, in order (exports list these; `waitlisted` is ours)
CONTRACT_COUNTS = tuple(c for c in COUNTS if c != "waitlisted")


@dataclass(frozen=True)
class Scope:
    """Filters resolved for SQL: dates as UTC instants, the union as an organisation id."""

    starts_from: datetime | None = None
    starts_before: datetime | None = None
    event_id: int | None = None
    kind: EventKind | None = None
    level: EventLevel | None = None
    union_id: int | None = None
    country: str | None = None
    organisation_id: int | None = None
    organisation_kind: OrganisationKind | None = None


def day_start(day: date) -> datetime:
    """Midnight of `day` in the report zone, as a UTC instant."""
    return datetime.combine(day, time(0), REPORT_ZONE).astimezone(UTC)


def find_union(ref: str) -> Organisation | None:
    """A union by code (case-insensitive) or by id."""
    stmt = sa.select(Organisation).where(Organisation.kind == OrganisationKind.union)
    if ref.isdigit():
        return db.session.scalar(stmt.where(Organisation.id == int(ref)))
    return db.session.scalar(stmt.where(sa.func.upper(Organisation.code) == ref.upper()))


def resolve(filters: AttendanceFilters, **extra: Any) -> Scope:
    """The filters for SQL; unknown union or event → 422 naming the field."""
    union_id = None
    if filters.union is not None:
        union = find_union(filters.union)
        if union is None:
            raise ApiError(
                422, "validation_error", "The query is not valid.", {"union": "Unknown union"}
            )
        union_id = union.id
    if filters.event_id is not None and db.session.get(Event, filters.event_id) is None:
        raise ApiError(
            422, "validation_error", "The query is not valid.", {"event_id": "Unknown event"}
        )
    return Scope(
        starts_from=day_start(filters.from_) if filters.from_ else None,
        starts_before=day_start(filters.to + timedelta(days=1)) if filters.to else None,
        event_id=filters.event_id,
        kind=filters.kind,
        level=filters.level,
        union_id=union_id,
        country=filters.country,
        organisation_id=filters.organisation_id,
        **extra,
    )


def _measures(now: datetime) -> list[sa.ColumnElement]:
    attended = facts.c.days > 0
    accepted = facts.c.status == "accepted"

    def count_if(condition: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    ended = events.c.ends_at <= sa.bindparam("now", now, type_=Event.ends_at.type)
    return [
        sa.func.count(facts.c.invitation_id).label("invited"),
        count_if(accepted).label("accepted"),
        count_if(facts.c.status == "declined").label("declined"),
        count_if(facts.c.status == "tentative").label("tentative"),
        count_if(facts.c.status == "pending").label("no_response"),
        count_if(facts.c.status == "waitlisted").label("waitlisted"),
        count_if(attended).label("attended"),
        count_if(sa.and_(attended, sa.or_(~accepted, facts.c.is_walk_in))).label("walk_ins"),
        count_if(sa.and_(accepted, facts.c.days == 0, ~facts.c.is_walk_in, ended)).label(
            "no_shows"
        ),
        sa.func.count(sa.distinct(sa.case((attended, facts.c.contact_id)))).label(
            "unique_participants"
        ),
        sa.func.coalesce(sa.func.sum(facts.c.days), 0).label("attendance_days"),
    ]


def _base(columns: list[sa.ColumnElement], scope: Scope) -> sa.Select:
    stmt = (
        sa.select(*columns)
        .select_from(facts.join(events, events.c.id == facts.c.event_id))
        .where(events.c.status != EventStatus.cancelled.value, facts.c.status != "revoked")
    )
    if scope.starts_from is not None:
        stmt = stmt.where(events.c.starts_at >= _utc(scope.starts_from))
    if scope.starts_before is not None:
        stmt = stmt.where(events.c.starts_at < _utc(scope.starts_before))
    if scope.event_id is not None:
        stmt = stmt.where(facts.c.event_id == scope.event_id)
    if scope.kind is not None:
        stmt = stmt.where(events.c.kind == scope.kind.value)
    if scope.level is not None:
        stmt = stmt.where(events.c.level == scope.level.value)
    if scope.organisation_id is not None:
        stmt = stmt.where(facts.c.organisation_id == scope.organisation_id)
    if scope.union_id is not None:
        umap = union_map()
        stmt = stmt.where(
            facts.c.organisation_id.in_(
                sa.select(umap.c.organisation_id).where(umap.c.union_id == scope.union_id)
            )
        )
    if scope.country is not None or scope.organisation_kind is not None:
        orgs = sa.select(organisations.c.id)
        if scope.country is not None:
            orgs = orgs.where(organisations.c.country == scope.country)
        if scope.organisation_kind is not None:
            orgs = orgs.where(organisations.c.kind == scope.organisation_kind.value)
        stmt = stmt.where(facts.c.organisation_id.in_(orgs))
    return stmt


def _utc(value: datetime) -> sa.BindParameter:
    return sa.bindparam(None, value, type_=Event.starts_at.type)


def totals(scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """The counts over distinct invitations in scope."""
    row = db.session.execute(_base(_measures(now or utcnow()), scope)).one()
    return {name: int(row._mapping[name]) for name in COUNTS}


def rows(group_by: GroupBy, scope: Scope, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per group, in the group's natural order (names alphabetically in Turkish,
    events and months by date, categories in their declared order)."""
    grouping = GROUPINGS[group_by]
    stmt, key = grouping.key(_base([], scope))
    stmt = stmt.add_columns(key.label("key"), *_measures(now or utcnow())).group_by(key)
    result = db.session.execute(stmt).all()
    keys = [row.key for row in result]
    labels = grouping.labels(keys)
    out = []
    for row in result:
        label, order = labels.get(row.key, (str(row.key), (2, str(row.key))))
        item = {"key": row.key, "label": str(label)}
        item.update({name: int(row._mapping[name]) for name in COUNTS})
        out.append((order, item))
    out.sort(key=lambda pair: pair[0])
    return [item for _order, item in out]


def attendance(
    filters: AttendanceFilters, now: datetime | None = None, **extra: Any
) -> dict[str, Any]:
    """The report: `{"rows": [...], "totals": {...}}` for the filters' group_by."""
    scope = resolve(filters, **extra)
    now = now or utcnow()
    return {"rows": rows(filters.group_by, scope, now), "totals": totals(scope, now)}


def participants(scope: Scope) -> sa.Select:
    """Invitations in scope with the person, the event and the days attended (drill-down;
    for roles allowed to see people). Newest events first, then names in Turkish order."""
    from ..invitations.models import Invitation

    return (
        sa.select(
            Invitation.id,
            Contact.full_name,
            Contact.position,
            Event.id.label("event_id"),
            Event.title.label("event_title"),
            Event.starts_at,
            Event.timezone,
            Invitation.status,
            Invitation.is_walk_in,
            facts.c.days,
        )
        .select_from(Invitation)
        .join(facts, facts.c.invitation_id == Invitation.id)
        .join(Contact, Contact.id == Invitation.contact_id)
        .join(Event, Event.id == Invitation.event_id)
        .where(facts.c.invitation_id.in_(_base([facts.c.invitation_id], scope)))
        .order_by(Event.starts_at.desc(), Contact.sort_key)
    )
