"""The attendance report: every count is one SQL aggregation in the database.

The counts (the contract's definitions, made precise):

- Cancelled events count nowhere; revoked invitations count nowhere (not even as attended).
- `invited`: invitations not revoked, walk-ins included (a walk-in is an invitation row made at
  the door). So `invited = accepted + declined + tentative + no_response + waitlisted +
  substituted` (`substituted`: sent a colleague instead; derived, `scope.with_substituted`).
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

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..core.columns import utcnow
from ..extensions import db
from . import monthly
from .groupings import CONTACT, GROUPINGS, ORG, facts, same_as_base
from .rollup import FACT_COUNTS, count_if
from .schemas import AttendanceFilters, GroupBy
from .scope import (  # noqa: F401 - the report's names, as the rest of the app imports them
    ADDITIVE,
    ATTENDED,
    CONTRACT_COUNTS,
    COUNTS,
    REPORT_OFFSET,
    REPORT_ZONE,
    REPORT_ZONE_NAME,
    Scope,
    counted_items,
    day_start,
    ended_by,
    facts_in_scope,
    find_union,
    no_show,
    read_counts,
    read_people,
    repeaters,
    resolve,
    whole_months,
)


def _first_stage(scope: Scope, now: datetime, by: list[str]) -> sa.Select:
    """The facts in scope, grouped by `by` (facts columns), with every additive count."""
    additive = [
        count_if(condition(facts)).label(name)
        for name, condition in FACT_COUNTS.items()
        if name != "accepted_absent"  # the report counts no-shows: absent and ended
    ]
    columns = [facts.c[name] for name in by] + [
        *additive,
        count_if(no_show(ended_by(now))).label("no_shows"),
        sa.func.sum(facts.c.days).label("attendance_days"),
    ]
    return facts_in_scope(columns, scope).group_by(*[facts.c[name] for name in by])


def _sums(stage: Any) -> list[sa.ColumnElement]:
    return [sa.func.sum(stage.c[name]).label(name) for name in ADDITIVE]


def totals(scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """The counts over distinct invitations in scope."""
    return _grouped(GroupBy.organisation, scope, now or utcnow())[1]


def _sums_and_people(stage: Any) -> list[sa.ColumnElement]:
    # grouped by contact, `attended` is the contact's attended invitations: one per event
    people = sa.func.count().filter(stage.c.attended > 0)
    repeat = sa.func.count().filter(stage.c.attended > 1)
    return [
        *_sums(stage),
        people.label("unique_participants"),
        repeat.label("repeat_participants"),
    ]


def _flagged(pairs: Any, repeat: Any, *keys: str) -> Any:
    """The distinct (key, contact) pairs with `repeat_id`: the contact again if they attended
    two or more events in scope, else NULL (so that COUNT of it counts the repeat people)."""
    return (
        sa.select(
            *[pairs.c[k] for k in keys],
            pairs.c.contact_id,
            repeat.c.contact_id.label("repeat_id"),
        )
        .select_from(pairs.outerjoin(repeat, repeat.c.contact_id == pairs.c.contact_id))
        .cte("flagged")
    )


def _distinct_contacts(stage: Any) -> list[sa.ColumnElement]:
    return [
        sa.func.count(sa.distinct(stage.c.contact_id)).label("unique_participants"),
        sa.func.count(sa.distinct(stage.c.repeat_id)).label("repeat_participants"),
    ]


def _pairs_per_key(stage: Any) -> list[sa.ColumnElement]:
    # the pairs are distinct: per organisation or event counting them is enough (a union,
    # province or month, and the total, may hold a person twice)
    return [
        sa.func.count().label("unique_participants"),
        sa.func.count(stage.c.repeat_id).label("repeat_participants"),
    ]


def _with_total(
    stage: Any,
    grouping: Any,
    columns: Any,
    total_columns: Any = None,
    keys: Any = None,
    none_key: bool = False,
) -> sa.CompoundSelect:
    """Per key (`keys`: only those, and the NULL key if `none_key`), plus one total row
    (`is_total` = 1), both from the same small first stage."""
    stmt, key = grouping.key(sa.select(), stage.c[grouping.base])
    grouped = (
        stmt.add_columns(sa.literal(0).label("is_total"), key.label("key"), *columns(stage))
        .select_from(stage)
        .group_by(key)
    )
    if keys is not None:
        wanted = key.in_(keys)
        grouped = grouped.where(sa.or_(wanted, key.is_(None)) if none_key else wanted)
    total = sa.select(
        sa.literal(1).label("is_total"),
        sa.null().label("key"),
        *(total_columns or columns)(stage),
    ).select_from(stage)
    return sa.union_all(grouped, total)


def _grouped(
    group_by: GroupBy, scope: Scope, now: datetime, use_rollup: bool = True, people: bool = True
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
    per-month trend over whole months reads the rollups alone (`monthly.per_month`).

    `people=False` leaves out the distinct participants (0), for charts that show other counts.
    """
    grouping = GROUPINGS[group_by]
    _tune()
    if use_rollup and group_by == GroupBy.month and (months := whole_months(scope)) is not None:
        return monthly.per_month(scope, now, *months, people=people)
    additive, months = additive_stage(grouping, scope, now, use_rollup)
    # grouped by contact, the people who attended are the groups that attended
    columns = _sums_and_people if grouping.base == CONTACT else _sums
    rows, total = read_counts(db.session.execute(_with_total(additive, grouping, columns)))
    if grouping.base != CONTACT and people:
        read_people(db.session.execute(people_statement(grouping, scope, months)), rows, total)
    return counted_items(rows, total)


def additive_stage(
    grouping: Any, scope: Scope, now: datetime, use_rollup: bool = True
) -> tuple[Any, tuple[str | None, str | None] | None]:
    """The first stage (one row per base group with every additive count) as a CTE, and the
    whole months it read from the rollup (None: it read the facts)."""
    months = whole_months(scope) if use_rollup and grouping.base == ORG else None
    if months is not None:
        return monthly.organisation_stage(scope, now, *months).cte("stage"), months
    return _first_stage(scope, now, [grouping.base]).cte("stage"), months


def people_statement(
    grouping: Any,
    scope: Scope,
    months: tuple | None,
    keys: list[Any] | sa.BindParameter | None = None,
    none_key: bool = False,
) -> sa.CompoundSelect:
    """Distinct and repeat participants per key, and a total row, from the (base, contact)
    pairs that attended; `keys` (a list, or an expanding parameter): only those keys' rows,
    and the NULL key's if `none_key` (the total is always of every pair)."""
    if months is not None:
        repeat = monthly.repeaters(scope, *months).cte("repeaters")
    else:
        repeat = repeaters(scope).cte("repeaters")
    if months not in (None, (None, None)) and _dialect() == "sqlite":
        # SQLite reads the attended facts of a span of months through the narrower index
        # (without the dates it would look up the table once per fact); the span's
        # presences are fewer. PostgreSQL does better on the facts' index
        # (docs/benchmarks.md, "Fast paths").
        pairs = monthly.organisation_pairs(scope, *months).cte("pairs")
    else:
        pairs = facts_in_scope([facts.c[grouping.base], facts.c.contact_id], scope)
        pairs = pairs.where(ATTENDED).distinct().cte("pairs")
    pairs = _flagged(pairs, repeat, grouping.base)
    per_key = _pairs_per_key if grouping.key is same_as_base else _distinct_contacts
    if grouping.fact_key is None:
        return _with_total(pairs, grouping, per_key, _distinct_contacts, keys, none_key)
    # (month, person) pairs straight from the facts
    key = grouping.fact_key().label("key")
    pairs = facts_in_scope([key, facts.c.contact_id], scope).where(ATTENDED).distinct()
    pairs = _flagged(pairs.cte("pairs"), repeat, "key")
    return sa.union_all(
        sa.select(sa.literal(0).label("is_total"), pairs.c.key, *_pairs_per_key(pairs))
        .select_from(pairs)
        .group_by(pairs.c.key),
        sa.select(sa.literal(1), sa.null(), *_distinct_contacts(pairs)).select_from(pairs),
    )


def _dialect() -> str:
    return db.session.get_bind().dialect.name


_TUNING = sa.text("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")


def _tune() -> None:
    """PostgreSQL: these are analytical queries over a million rows. JIT compiling them costs
    more than it saves, and the hash aggregates need more than the default 4 MB to stay in
    memory. Both only for the current transaction, set once in it (the dashboard asks for
    several reports)."""
    if _dialect() != "postgresql":
        return
    transaction = db.session().get_transaction()
    if transaction is not None and db.session.info.get("reports_tuned") is transaction:
        return
    # one statement for both (as SET LOCAL does: until the transaction ends)
    db.session.execute(_TUNING)
    db.session.info["reports_tuned"] = db.session().get_transaction()


def _labelled(
    group_by: GroupBy,
    items: list[dict[str, Any]],
    scope: Scope | None = None,
    labels: dict[Any, Any] | None = None,
) -> list[dict[str, Any]]:
    """Labels on the groups, in the group's natural order (names alphabetically in Turkish,
    events and months by date, categories in their declared order). A grouping whose labels
    depend on the reader's reach (series) takes it from `scope`; no such grouping is paged
    (`paging.can_page`, whose callers pass no scope). `labels`: the grouping's labels of (at
    least) the items' keys when the caller has them already."""
    if labels is None:
        grouping = GROUPINGS[group_by]
        keys = [item["key"] for item in items]
        if grouping.within_reach:
            labels = grouping.labels(keys, scope.host_union_id if scope is not None else None)
        else:
            labels = grouping.labels(keys)
    ordered = []
    for item in items:
        label, order = labels.get(item["key"], (str(item["key"]), (2, str(item["key"]))))
        # the item's own keys are `key` and counts: merged as they are, not picked one by one
        # (a dict per row of 1,400 was a tenth of the dashboard's CPU: bench/pages.py)
        ordered.append((order, {"key": item["key"], "label": str(label), **item}))
    ordered.sort(key=lambda pair: pair[0])
    return [item for _order, item in ordered]


#: the contact's column of each contact dimension (the dashboard's split charts)
CONTACT_COLUMNS = {GroupBy.gender: "gender", GroupBy.role_category: "role_category"}


def participants(scope: Scope, *group_bys: GroupBy) -> dict[GroupBy, list[dict[str, Any]]]:
    """Distinct participants per gender and per role (`key`, `label`, `unique_participants`),
    in the group's order: what the dashboard's split charts show. Over whole months they come
    from `attendance_presence`, all dimensions in one statement (the scope's distinct contacts,
    joined to the contacts); the full report would group a million facts per contact for
    counts the charts do not show."""
    months = whole_months(scope)
    if months is None:
        return {
            group_by: [
                {name: row[name] for name in ("key", "label", "unique_participants")}
                for row in rows(group_by, scope)
            ]
            for group_by in group_bys
        }
    columns = [CONTACT_COLUMNS[group_by] for group_by in group_bys]
    counted: dict[GroupBy, dict[Any, int]] = {group_by: {} for group_by in group_bys}
    for *keys, n in monthly.participants(columns, scope, *months):
        for group_by, key in zip(group_bys, keys, strict=True):
            counted[group_by][key] = counted[group_by].get(key, 0) + int(n)
    out = {}
    for group_by, found in counted.items():
        labels = GROUPINGS[group_by].labels(list(found))
        ordered = []
        for key, n in found.items():
            label, order = labels.get(key, (str(key), (2, str(key))))
            ordered.append((order, {"key": key, "label": str(label), "unique_participants": n}))
        ordered.sort(key=lambda pair: pair[0])
        out[group_by] = [item for _order, item in ordered]
    return out


def rows(
    group_by: GroupBy, scope: Scope, now: datetime | None = None, people: bool = True
) -> list[dict[str, Any]]:
    """One row per group, labelled and ordered (`people=False`: without distinct
    participants, which the dashboard's bar and line charts do not show)."""
    items, _totals = _grouped(group_by, scope, now or utcnow(), people=people)
    return _labelled(group_by, items, scope)


def table(
    group_by: GroupBy, scope: Scope, now: datetime | None = None, people: bool = True
) -> dict[str, Any]:
    """`{"rows": [...], "totals": {...}}` for a resolved scope (`people` as for `rows`)."""
    items, total = _grouped(group_by, scope, now or utcnow(), people=people)
    return {"rows": _labelled(group_by, items, scope), "totals": total}


def attendance(
    filters: AttendanceFilters, now: datetime | None = None, **extra: Any
) -> dict[str, Any]:
    """The report: `{"rows": [...], "totals": {...}}` for the filters' group_by."""
    return table(filters.group_by, resolve(filters, **extra), now)
