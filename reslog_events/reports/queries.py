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
kept by triggers, with the event's dates, status, type and level copied onto it), so the
million-row pass needs no join; dimensions are joined onto the aggregated groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from ..core.api import ApiError
from ..core.columns import utcnow
from ..core.routing import parse_id
from ..directory.models import Organisation, OrganisationKind
from ..events.models import Event, EventKind, EventLevel, EventStatus
from ..extensions import db
from .groupings import (
    CONTACT,
    GROUPINGS,
    ORG,
    facts,
    month_of,
    organisations,
    same_as_base,
    union_map,
)
from .models import AttendancePresence, AttendanceRollup
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
        ident = parse_id(ref)
        return None if ident is None else db.session.scalar(stmt.where(Organisation.id == ident))
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


# Written into the SQL rather than bound, so that the planner can match the partial index
# ix_attendance_facts_attended even with a prepared (generic) plan.
REVOKED = sa.literal_column("'revoked'")
CANCELLED = sa.literal_column(f"'{EventStatus.cancelled.value}'")
ATTENDED = facts.c.days > sa.literal_column("0")

#: additive counts the rollup holds as they are (no-shows are derived)
ROLLUP_COUNTS = (
    "invited",
    "accepted",
    "declined",
    "tentative",
    "no_response",
    "waitlisted",
    "attended",
    "walk_ins",
    "attendance_days",
)
rollup_table = AttendanceRollup.__table__
presence_table = AttendancePresence.__table__

ADDITIVE = tuple(c for c in COUNTS if c != "unique_participants")


def _first_stage(scope: Scope, now: datetime, by: list[str]) -> sa.Select:
    """The facts in scope, grouped by `by` (facts columns), with every additive count."""
    attended = facts.c.days > 0
    accepted = facts.c.status == "accepted"
    ended = facts.c.ends_at <= sa.bindparam("now", now, type_=Event.ends_at.type)

    def count_if(condition: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.count().filter(condition)

    columns = [facts.c[name] for name in by] + [
        sa.func.count().label("invited"),
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
        sa.func.sum(facts.c.days).label("attendance_days"),
    ]
    return _base(columns, scope).group_by(*[facts.c[name] for name in by])


def _sums(stage: Any) -> list[sa.ColumnElement]:
    return [sa.func.sum(stage.c[name]).label(name) for name in ADDITIVE]


def _base(columns: list[sa.ColumnElement], scope: Scope) -> sa.Select:
    """The facts in scope; the event's status, dates, type and level are on the facts row."""
    stmt = (
        sa.select(*columns)
        .select_from(facts)
        .where(facts.c.event_status != CANCELLED, facts.c.status != REVOKED)
    )
    if scope.starts_from is not None:
        stmt = stmt.where(facts.c.starts_at >= _utc(scope.starts_from))
    if scope.starts_before is not None:
        stmt = stmt.where(facts.c.starts_at < _utc(scope.starts_before))
    if scope.event_id is not None:
        stmt = stmt.where(facts.c.event_id == scope.event_id)
    if scope.kind is not None:
        stmt = stmt.where(facts.c.kind == scope.kind.value)
    if scope.level is not None:
        stmt = stmt.where(facts.c.level == scope.level.value)
    return _organisation_filters(stmt, facts.c.organisation_id, scope)


def _utc(value: datetime) -> sa.BindParameter:
    return sa.bindparam(None, value, type_=Event.starts_at.type)


def totals(scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """The counts over distinct invitations in scope."""
    return _grouped(GroupBy.organisation, scope, now or utcnow())[1]


def whole_months(scope: Scope) -> tuple[str | None, str | None] | None:
    """("YYYY-MM" first, last) when the scope is whole months of organisations (what the
    rollup can answer), else None."""
    if scope.event_id is not None or scope.kind is not None or scope.level is not None:
        return None
    first = last = None
    if scope.starts_from is not None:
        start = scope.starts_from.astimezone(REPORT_ZONE)
        if (start.day, start.hour, start.minute, start.second) != (1, 0, 0, 0):
            return None
        first = start.strftime("%Y-%m")
    if scope.starts_before is not None:
        end = scope.starts_before.astimezone(REPORT_ZONE)
        if (end.day, end.hour, end.minute, end.second) != (1, 0, 0, 0):
            return None
        last = (end - timedelta(days=1)).strftime("%Y-%m")
    return first, last


def _organisation_filters(stmt: sa.Select, column: sa.ColumnElement, scope: Scope) -> sa.Select:
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


def _rollup_stage(scope: Scope, now: datetime, first: str | None, last: str | None):
    """Like `_first_stage(scope, now, [ORG])`, from the organisation × month rollup: the
    accepted invitations without a check-in are no-shows except those of events that have not
    ended yet, counted from the facts (few: the future)."""
    r = rollup_table
    key = sa.func.nullif(r.c.organisation_key, 0)
    stmt = sa.select(
        r.c.organisation_key,
        key.label("organisation_id"),
        *[sa.func.sum(r.c[name]).label(name) for name in ROLLUP_COUNTS],
        sa.func.sum(r.c.accepted_absent).label("accepted_absent"),
    )
    if first is not None:
        stmt = stmt.where(r.c.month >= first)
    if last is not None:
        stmt = stmt.where(r.c.month <= last)
    stmt = _organisation_filters(stmt, key, scope)
    summed = stmt.group_by(r.c.organisation_key).having(sa.func.sum(r.c.invited) > 0)
    summed = summed.subquery("summed")
    pending_key = sa.func.coalesce(facts.c.organisation_id, 0)
    pending = _base(
        [pending_key.label("organisation_key"), sa.func.count().label("n")],
        scope,
    ).where(
        facts.c.ends_at > sa.bindparam("now_pending", now, type_=Event.ends_at.type),
        facts.c.status == "accepted",
        facts.c.days == 0,
        ~facts.c.is_walk_in,
    )
    pending = pending.group_by(pending_key).subquery("pending")
    return sa.select(
        summed.c.organisation_id,
        *[summed.c[name] for name in ROLLUP_COUNTS],
        (summed.c.accepted_absent - sa.func.coalesce(pending.c.n, 0)).label("no_shows"),
    ).select_from(
        summed.outerjoin(pending, pending.c.organisation_key == summed.c.organisation_key)
    )


def _sums_and_people(stage: Any) -> list[sa.ColumnElement]:
    people = sa.func.count().filter(stage.c.attended > 0)
    return [*_sums(stage), people.label("unique_participants")]


def _with_total(
    stage: Any, grouping: Any, columns: Any, total_columns: Any = None
) -> sa.CompoundSelect:
    """Per key, plus one total row (`is_total` = 1), both from the same small first stage."""
    stmt, key = grouping.key(sa.select(), stage.c[grouping.base])
    grouped = (
        stmt.add_columns(sa.literal(0).label("is_total"), key.label("key"), *columns(stage))
        .select_from(stage)
        .group_by(key)
    )
    total = sa.select(
        sa.literal(1).label("is_total"),
        sa.null().label("key"),
        *(total_columns or columns)(stage),
    ).select_from(stage)
    return sa.union_all(grouped, total)


def _grouped(
    group_by: GroupBy, scope: Scope, now: datetime, use_rollup: bool = True
) -> tuple[list[Any], dict]:
    """(rows with `key` and every count, totals), in two statements that each read the facts
    once.

    The first groups the facts on the grouping's base (organisation, event or contact: a few
    thousand groups) with every additive count; the dimension (province, unions, month,
    gender…) is joined onto those groups, not onto a million rows, and summed. An
    organisation in two unions thus fans out after aggregation; the total row sums the base
    groups, so it counts each invitation once. The second statement counts distinct
    participants the same way from the (base, contact) pairs that attended.

    For organisation-based groupings over whole months (no event, type or level filter) the
    first statement reads `attendance_rollup` (organisation × month) instead of the facts; the
    per-month trend over whole months reads the rollups alone (`_months`).
    """
    grouping = GROUPINGS[group_by]
    _tune()
    if use_rollup and group_by == GroupBy.month and (months := whole_months(scope)) is not None:
        return _months(scope, now, *months)
    months = whole_months(scope) if use_rollup and grouping.base == ORG else None
    if months is not None:
        additive = _rollup_stage(scope, now, *months).cte("stage")
    else:
        additive = _first_stage(scope, now, [grouping.base]).cte("stage")
    # grouped by contact, the people who attended are the groups that attended
    columns = _sums_and_people if grouping.base == CONTACT else _sums
    rows, total = _read(db.session.execute(_with_total(additive, grouping, columns)))
    if grouping.base != CONTACT:
        pairs = _base([facts.c[grouping.base], facts.c.contact_id], scope).where(ATTENDED)
        pairs = pairs.distinct().cte("pairs")

        def people(stage: Any) -> list[sa.ColumnElement]:
            return [sa.func.count(sa.distinct(stage.c.contact_id)).label("unique_participants")]

        def pairs_per_key(stage: Any) -> list[sa.ColumnElement]:
            # the pairs are distinct: per organisation or event counting them is enough (a
            # union, province or month, and the total, may hold a person twice)
            return [sa.func.count().label("unique_participants")]

        per_key = pairs_per_key if grouping.key is same_as_base else people

        statement = _with_total(pairs, grouping, per_key, people)
        if grouping.fact_key is not None:  # (month, person) pairs straight from the facts
            key = grouping.fact_key().label("key")
            pairs = _base([key, facts.c.contact_id], scope).where(ATTENDED).distinct()
            pairs = pairs.cte("pairs")
            statement = sa.union_all(
                sa.select(sa.literal(0).label("is_total"), pairs.c.key, *pairs_per_key(pairs))
                .select_from(pairs)
                .group_by(pairs.c.key),
                sa.select(sa.literal(1), sa.null(), *people(pairs)).select_from(pairs),
            )
        _read_people(db.session.execute(statement), rows, total)
    return _items(rows, total)


def _read(result: sa.Result) -> tuple[dict[Any, dict[str, int]], dict[str, int]]:
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


def _read_people(result: sa.Result, rows: dict[Any, dict[str, int]], total: dict) -> None:
    """Distinct participants (`is_total`, `key`, `unique_participants`) into the counts."""
    for is_total, key, people in result.all():
        target = total if is_total else rows.get(key)
        if target is not None:
            target["unique_participants"] = int(people or 0)


def _items(rows: dict[Any, dict[str, int]], total: dict[str, int]) -> tuple[list[Any], dict]:
    total.setdefault("unique_participants", 0)
    items = [{"key": key, "unique_participants": 0, **counts} for key, counts in rows.items()]
    return items, total


def _months(
    scope: Scope, now: datetime, first: str | None, last: str | None
) -> tuple[list[Any], dict]:
    """The per-month trend over whole months, from the rollups: the additive counts from
    `attendance_rollup` summed per month (no-shows corrected as in `_rollup_stage`), the
    distinct participants from `attendance_presence` in its key order (month, contact)."""
    r, p = rollup_table, presence_table

    def in_scope(stmt: sa.Select, table: sa.Table) -> sa.Select:
        if first is not None:
            stmt = stmt.where(table.c.month >= first)
        if last is not None:
            stmt = stmt.where(table.c.month <= last)
        return _organisation_filters(stmt, sa.func.nullif(table.c.organisation_key, 0), scope)

    summed = in_scope(
        sa.select(
            r.c.month.label("key"),
            *[sa.func.sum(r.c[name]).label(name) for name in ROLLUP_COUNTS],
            sa.func.sum(r.c.accepted_absent).label("accepted_absent"),
        ),
        r,
    )
    summed = summed.group_by(r.c.month).having(sa.func.sum(r.c.invited) > 0).subquery("summed")
    month = month_of(facts.c.starts_at)
    pending = _base([month.label("key"), sa.func.count().label("n")], scope).where(
        facts.c.ends_at > sa.bindparam("now_pending", now, type_=Event.ends_at.type),
        facts.c.status == "accepted",
        facts.c.days == 0,
        ~facts.c.is_walk_in,
    )
    pending = pending.group_by(month).subquery("pending")
    additive = sa.select(
        sa.literal(0).label("is_total"),
        summed.c.key,
        *[summed.c[name] for name in ROLLUP_COUNTS],
        (summed.c.accepted_absent - sa.func.coalesce(pending.c.n, 0)).label("no_shows"),
    ).select_from(summed.outerjoin(pending, pending.c.key == summed.c.key))
    rows, _none = _read(db.session.execute(additive))
    # every invitation is in one month: the totals are the months' sums
    total = {name: sum(counts[name] for counts in rows.values()) for name in ADDITIVE}
    # count(DISTINCT) sorts each month's few thousand contacts (the rows come in month order);
    # a DISTINCT subquery would hash all 470,000 pairs at once, several times slower
    people = sa.func.count(sa.distinct(p.c.contact_id))
    statement = sa.union_all(
        in_scope(sa.select(sa.literal(0), p.c.month, people), p).group_by(p.c.month),
        in_scope(sa.select(sa.literal(1), sa.null(), people), p),
    )
    _read_people(db.session.execute(statement), rows, total)
    return _items(rows, total)


def _tune() -> None:
    """PostgreSQL: these are analytical queries over a million rows. JIT compiling them costs
    more than it saves, and the hash aggregates need more than the default 4 MB to stay in
    memory. Both only for the current transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))
        db.session.execute(sa.text("SET LOCAL work_mem = '64MB'"))


def _labelled(group_by: GroupBy, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Labels on the groups, in the group's natural order (names alphabetically in Turkish,
    events and months by date, categories in their declared order)."""
    labels = GROUPINGS[group_by].labels([item["key"] for item in items])
    ordered = []
    for item in items:
        label, order = labels.get(item["key"], (str(item["key"]), (2, str(item["key"]))))
        ordered.append(
            (
                order,
                {"key": item["key"], "label": str(label), **{name: item[name] for name in COUNTS}},
            )
        )
    ordered.sort(key=lambda pair: pair[0])
    return [item for _order, item in ordered]


def rows(group_by: GroupBy, scope: Scope, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per group, labelled and ordered."""
    items, _totals = _grouped(group_by, scope, now or utcnow())
    return _labelled(group_by, items)


def table(group_by: GroupBy, scope: Scope, now: datetime | None = None) -> dict[str, Any]:
    """`{"rows": [...], "totals": {...}}` for a resolved scope."""
    items, total = _grouped(group_by, scope, now or utcnow())
    return {"rows": _labelled(group_by, items), "totals": total}


def attendance(
    filters: AttendanceFilters, now: datetime | None = None, **extra: Any
) -> dict[str, Any]:
    """The report: `{"rows": [...], "totals": {...}}` for the filters' group_by."""
    return table(filters.group_by, resolve(filters, **extra), now)
