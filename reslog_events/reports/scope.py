"""The report's scope (filters resolved for SQL), its counts' names, and the SQL pieces that
both the facts path (`queries`) and the rollups path (`monthly`) use. The counts' definitions
are in `queries`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from ..auth.models import Role
from ..core.api import ApiError
from ..core.datetimes import month_key
from ..core.routing import parse_id
from ..directory.models import Organisation, OrganisationKind
from ..directory.queries import organisation_ids_by_code
from ..events.models import Event, EventKind, EventLevel, EventStatus
from ..events.visibility import hosted_by_union
from ..extensions import db
from .groupings import (
    REPORT_OFFSET,
    REPORT_ZONE_NAME,  # noqa: F401 - the report's names, imported from here
    events,
    facts,
    organisations,
    union_map,
)
from .models import AttendancePresence, AttendanceRollup
from .rollup import FACT_COUNTS
from .schemas import AttendanceFilters

REPORT_ZONE = timezone(REPORT_OFFSET, "TRT")

COUNTS = (
    "invited",
    "accepted",
    "declined",
    "tentative",
    "no_response",
    "waitlisted",
    "substituted",
    "attended",
    "walk_ins",
    "no_shows",
    "unique_participants",
    "repeat_participants",
    "attendance_days",
)
#: counts of people, not of invitations: not summed from groups (a person is in several)
PEOPLE = ("unique_participants", "repeat_participants")
#: the answers of an invitation not revoked, besides `substituted` (sent a colleague instead)
ANSWERS = ("accepted", "declined", "tentative", "no_response", "waitlisted")
#: counts derived from the others after aggregation, never summed in SQL: `substituted` is
#: `invited` less every other answer (an invitation not revoked has exactly one status, a
#: CHECK constraint keeps them to the enum), which the rollup needs no column for
DERIVED = ("substituted",)
#: the contract's row fields, in order (exports list these; `waitlisted` and `substituted` are
#: ours, in the JSON only)
CONTRACT_COUNTS = tuple(c for c in COUNTS if c not in ("waitlisted", "substituted"))


@dataclass(frozen=True)
class Scope:
    """Filters resolved for SQL: dates as UTC instants, the union as an organisation id."""

    starts_from: datetime | None = None
    starts_before: datetime | None = None
    event_id: int | None = None
    series_id: int | None = None
    kind: EventKind | None = None
    level: EventLevel | None = None
    union_id: int | None = None
    country: str | None = None
    organisation_id: int | None = None
    organisation_kind: OrganisationKind | None = None
    #: a union-scoped reader's union: only events hosted by it or its members count
    host_union_id: int | None = None


def day_start(day: date) -> datetime:
    """Midnight of `day` in the report zone, as a UTC instant."""
    return datetime.combine(day, time(0), REPORT_ZONE).astimezone(UTC)


def find_union(ref: str) -> Organisation | None:
    """A union by code (case-insensitive) or by id."""
    stmt = sa.select(Organisation).where(Organisation.kind == OrganisationKind.union)
    if ref.isdigit():
        ident = parse_id(ref)
        return None if ident is None else db.session.scalar(stmt.where(Organisation.id == ident))
    # "ÇBB", "çbb" and "cbb" alike
    return db.session.scalar(stmt.where(Organisation.id.in_(organisation_ids_by_code(ref) or [0])))


def reach(user: Any) -> dict[str, Any]:
    """What `user` may count, as Scope fields: a union-scoped user (not an admin) counts only
    the events hosted by their union or its members (`events.visibility`)."""
    union_id = getattr(user, "union_id", None)
    if union_id is None or user.role == Role.admin:
        return {}
    return {"host_union_id": union_id}


def resolve(filters: AttendanceFilters, **extra: Any) -> Scope:
    """The filters for SQL; unknown union or event (or an event outside the reader's reach,
    `host_union_id`) → 422 naming the field."""
    union_id = None
    if filters.union is not None:
        union = find_union(filters.union)
        if union is None:
            raise ApiError(
                422, "validation_error", "The query is not valid.", {"union": "Unknown union"}
            )
        union_id = union.id
    if filters.event_id is not None and not _reachable(filters.event_id, extra):
        raise ApiError(
            422, "validation_error", "The query is not valid.", {"event_id": "Unknown event"}
        )
    if filters.series_id is not None and not _reachable_series(filters.series_id, extra):
        raise ApiError(
            422, "validation_error", "The query is not valid.", {"series_id": "Unknown series"}
        )
    return Scope(
        starts_from=day_start(filters.from_) if filters.from_ else None,
        starts_before=day_start(filters.to + timedelta(days=1)) if filters.to else None,
        event_id=filters.event_id,
        series_id=filters.series_id,
        kind=filters.kind,
        level=filters.level,
        union_id=union_id,
        country=filters.country,
        organisation_id=filters.organisation_id,
        **extra,
    )


def _reachable(event_id: int, extra: dict[str, Any]) -> bool:
    stmt = sa.select(Event.id).where(Event.id == event_id)
    if extra.get("host_union_id") is not None:
        stmt = stmt.where(hosted_by_union(extra["host_union_id"]))
    return db.session.scalar(stmt) is not None


def _reachable_series(series_id: int, extra: dict[str, Any]) -> bool:
    """A series with an event the reader may count."""
    stmt = sa.select(Event.id).where(Event.series_id == series_id)
    if extra.get("host_union_id") is not None:
        stmt = stmt.where(hosted_by_union(extra["host_union_id"]))
    return db.session.scalar(stmt.limit(1)) is not None


# Written into the SQL rather than bound, so that the planner can match the partial index
# ix_attendance_facts_attended even with a prepared (generic) plan.
REVOKED = sa.literal_column("'revoked'")
CANCELLED = sa.literal_column(f"'{EventStatus.cancelled.value}'")
ATTENDED = facts.c.days > sa.literal_column("0")


def ended_by(now: datetime) -> sa.ColumnElement[bool]:
    """The fact's event had ended at `now`."""
    return facts.c.ends_at <= sa.bindparam("now", now, type_=Event.ends_at.type)


def no_show(ended: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """A no-show: accepted, no check-in, not a walk-in, and the event has ended (`ended`).
    The report counts these; the organisers' messages to no-shows reach these."""
    return sa.and_(FACT_COUNTS["accepted_absent"](facts), ended)


#: additive counts the rollup holds as they are (no-shows are derived, participants are people)
ROLLUP_COUNTS = tuple(c for c in COUNTS if c != "no_shows" and c not in PEOPLE and c not in DERIVED)
rollup_table = AttendanceRollup.__table__
presence_table = AttendancePresence.__table__

ADDITIVE = tuple(c for c in COUNTS if c not in PEOPLE and c not in DERIVED)


def facts_in_scope(columns: list[sa.ColumnElement], scope: Scope) -> sa.Select:
    """The facts in scope; the event's status, dates, type and level are on the facts row."""
    stmt = (
        sa.select(*columns)
        .select_from(facts)
        .where(facts.c.event_status != CANCELLED, facts.c.status != REVOKED)
    )
    stmt = event_filters(stmt, scope, facts.c.event_id, facts)
    return organisation_filters(stmt, facts.c.organisation_id, scope)


def event_filters(
    stmt: sa.Select, scope: Scope, event_id: sa.ColumnElement, table: sa.Table
) -> sa.Select:
    """The scope's filters on the event: `table` (the facts or the events) has its start,
    type and level, `event_id` its id."""
    if scope.starts_from is not None:
        stmt = stmt.where(table.c.starts_at >= utc_param(scope.starts_from))
    if scope.starts_before is not None:
        stmt = stmt.where(table.c.starts_at < utc_param(scope.starts_before))
    if scope.event_id is not None:
        stmt = stmt.where(event_id == scope.event_id)
    if scope.series_id is not None:
        in_series = sa.select(events.c.id).where(events.c.series_id == scope.series_id)
        stmt = stmt.where(event_id.in_(in_series))
    if scope.kind is not None:
        stmt = stmt.where(table.c.kind == scope.kind.value)
    if scope.level is not None:
        stmt = stmt.where(table.c.level == scope.level.value)
    if scope.host_union_id is not None:
        hosted = sa.select(events.c.id).where(
            hosted_by_union(scope.host_union_id, events.c.host_organisation_id)
        )
        stmt = stmt.where(event_id.in_(hosted))
    return stmt


def utc_param(value: datetime) -> sa.BindParameter:
    return sa.bindparam(None, value, type_=Event.starts_at.type)


def whole_months(scope: Scope) -> tuple[str | None, str | None] | None:
    """("YYYY-MM" first, last) when the scope is whole months of organisations (what the
    rollup can answer), else None. The rollups know no event, so a union-scoped reader's
    report (events hosted by the union) reads the facts."""
    if any(
        value is not None
        for value in (
            scope.event_id,
            scope.series_id,
            scope.kind,
            scope.level,
            scope.host_union_id,
        )
    ):
        return None
    first = last = None
    if scope.starts_from is not None:
        start = scope.starts_from.astimezone(REPORT_ZONE)
        if (start.day, start.hour, start.minute, start.second) != (1, 0, 0, 0):
            return None
        first = month_key(start)
    if scope.starts_before is not None:
        end = scope.starts_before.astimezone(REPORT_ZONE)
        if (end.day, end.hour, end.minute, end.second) != (1, 0, 0, 0):
            return None
        last = month_key(end - timedelta(days=1))
    return first, last


def organisation_filters(stmt: sa.Select, column: sa.ColumnElement, scope: Scope) -> sa.Select:
    """The scope's filters on the invitation's organisation, applied to `column`."""
    if scope.organisation_id is not None:
        stmt = stmt.where(column == scope.organisation_id)
    if scope.union_id is not None:
        umap = union_map()
        stmt = stmt.where(
            column.in_(sa.select(umap.c.organisation_id).where(umap.c.union_id == scope.union_id))
        )
    if scope.country is not None or scope.organisation_kind is not None:
        orgs = sa.select(organisations.c.id)
        if scope.country is not None:
            orgs = orgs.where(organisations.c.country == scope.country)
        if scope.organisation_kind is not None:
            orgs = orgs.where(organisations.c.kind == scope.organisation_kind.value)
        stmt = stmt.where(column.in_(orgs))
    return stmt


def read_counts(result: sa.Result) -> tuple[dict[Any, dict[str, int]], dict[str, int]]:
    """({key: counts}, totals) from rows with `is_total`, `key` and counts (by position: a
    dict per row of 1,400 is most of the Python time)."""
    names = list(result.keys())
    wanted = [(name, i) for i, name in enumerate(names) if name in COUNTS]
    at_key, at_total = names.index("key"), names.index("is_total")
    rows: dict[Any, dict[str, int]] = {}
    total: dict[str, int] = {}
    for r in result.all():
        counts = {name: int(r[i] or 0) for name, i in wanted}
        if r[at_total]:
            total = counts
        else:
            rows[r[at_key]] = counts
    return rows, total


def read_people(result: sa.Result, rows: dict[Any, dict[str, int]], total: dict) -> None:
    """Distinct participants and repeat participants (`is_total`, `key`,
    `unique_participants`, `repeat_participants`) into the counts."""
    for is_total, key, people, repeat in result.all():
        target = total if is_total else rows.get(key)
        if target is not None:
            target["unique_participants"] = int(people or 0)
            target["repeat_participants"] = int(repeat or 0)


def repeaters(scope: Scope) -> sa.Select:
    """The contacts who attended two or more events in scope (`contact_id`). An invitation is
    one per event and contact (unique), so attended invitations are events."""
    stmt = facts_in_scope([facts.c.contact_id], scope).where(ATTENDED)
    return stmt.group_by(facts.c.contact_id).having(sa.func.count() >= 2)


def with_substituted(counts: dict[str, int]) -> dict[str, int]:
    """`substituted` added to additive counts, so that `invited` = the answers + it."""
    counts["substituted"] = counts.get("invited", 0) - sum(counts.get(a, 0) for a in ANSWERS)
    return counts


def counted_items(rows: dict[Any, dict[str, int]], total: dict[str, int]) -> tuple[list[Any], dict]:
    for name in PEOPLE:
        total.setdefault(name, 0)
    with_substituted(total)
    for counts in rows.values():
        with_substituted(counts)
    items = [{"key": key, **dict.fromkeys(PEOPLE, 0), **counts} for key, counts in rows.items()]
    return items, total
