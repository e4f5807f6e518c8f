"""The rollups path: reports over whole months of organisations read `attendance_rollup`
(organisation × month) and `attendance_presence` (month × contact × organisation) instead of a
million facts. `queries._grouped` chooses it; the answers equal the facts path's (tested)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..events.models import Event
from ..extensions import db
from .groupings import contacts, facts, month_of
from .scope import (
    ADDITIVE,
    ROLLUP_COUNTS,
    Scope,
    counted_items,
    facts_in_scope,
    organisation_filters,
    presence_table,
    read_counts,
    read_people,
    rollup_table,
)


def _not_ended(scope: Scope, now: datetime, *by: sa.ColumnElement) -> sa.Select:
    """Accepted invitations without a check-in of events that have not ended (not no-shows
    yet; few: the future), counted per `by`, found through `ix_attendance_facts_ends_at`.
    Without the organisation filters: the callers apply them to these few groups, so that no
    planner (SQLite's did) reads a million facts through the organisation index instead."""
    unfiltered = replace(
        scope, organisation_id=None, union_id=None, country=None, organisation_kind=None
    )
    return (
        facts_in_scope([*by, sa.func.count().label("n")], unfiltered)
        .where(
            facts.c.ends_at > sa.bindparam("now_pending", now, type_=Event.ends_at.type),
            facts.c.status == "accepted",
            facts.c.days == 0,
            ~facts.c.is_walk_in,
        )
        .group_by(*by)
    )


def organisation_stage(scope: Scope, now: datetime, first: str | None, last: str | None):
    """Like `_first_stage(scope, now, [ORG])`, from the organisation × month rollup: the
    accepted invitations without a check-in are no-shows except those of events that have not
    ended yet (`_not_ended`; the join keeps the organisations in scope)."""
    r = rollup_table
    stmt = sa.select(
        r.c.organisation_key,
        sa.func.nullif(r.c.organisation_key, 0).label("organisation_id"),
        *[sa.func.sum(r.c[name]).label(name) for name in ROLLUP_COUNTS],
        sa.func.sum(r.c.accepted_absent).label("accepted_absent"),
    )
    stmt = months_in_scope(stmt, r, scope, first, last)
    summed = stmt.group_by(r.c.organisation_key).having(sa.func.sum(r.c.invited) > 0)
    summed = summed.subquery("summed")
    key = sa.func.coalesce(facts.c.organisation_id, 0).label("organisation_key")
    pending = _not_ended(scope, now, key).subquery("pending")
    return sa.select(
        summed.c.organisation_id,
        *[summed.c[name] for name in ROLLUP_COUNTS],
        (summed.c.accepted_absent - sa.func.coalesce(pending.c.n, 0)).label("no_shows"),
    ).select_from(
        summed.outerjoin(pending, pending.c.organisation_key == summed.c.organisation_key)
    )


def organisation_pairs(scope: Scope, first: str | None, last: str | None) -> sa.Select:
    """The distinct (organisation_id, contact_id) who attended in the scope's months, from
    `attendance_presence`: the pairs `queries._grouped` counts participants from."""
    p = presence_table
    organisation = sa.func.nullif(p.c.organisation_key, 0).label("organisation_id")
    stmt = sa.select(organisation, p.c.contact_id)
    return months_in_scope(stmt, p, scope, first, last).distinct()


def repeaters(scope: Scope, first: str | None, last: str | None) -> sa.Select:
    """The contacts who attended two or more events in the scope's months, from
    `attendance_presence` (its rows count a contact's attended invitations, one per event):
    a range of its primary key, grouped by contact."""
    p = presence_table
    stmt = months_in_scope(sa.select(p.c.contact_id), p, scope, first, last)
    return stmt.group_by(p.c.contact_id).having(sa.func.sum(p.c.attended) >= 2)


def months_in_scope(
    stmt: sa.Select, table: sa.Table, scope: Scope, first: str | None, last: str | None
) -> sa.Select:
    """`stmt` on a rollup (`month`, `organisation_key`) limited to the scope's months and
    organisations."""
    if first is not None:
        stmt = stmt.where(table.c.month >= first)
    if last is not None:
        stmt = stmt.where(table.c.month <= last)
    return organisation_filters(stmt, sa.func.nullif(table.c.organisation_key, 0), scope)


#: stands for the request's time in the cached statements; each execution binds the real one
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=64)
def _per_month_additive(
    scope: Scope, first: str | None, last: str | None, dialect: str
) -> sa.Select:
    """`per_month`'s additive counts per month (`now_pending` bound at each execution), built
    once per scope: building it cost the dashboard more than running it (bench/pages.py, the
    dashboard). `dialect`: the month's SQL differs by database (`groupings.month_of`)."""
    r = rollup_table
    summed = months_in_scope(
        sa.select(
            r.c.month.label("key"),
            *[sa.func.sum(r.c[name]).label(name) for name in ROLLUP_COUNTS],
            sa.func.sum(r.c.accepted_absent).label("accepted_absent"),
        ),
        r,
        scope,
        first,
        last,
    )
    summed = summed.group_by(r.c.month).having(sa.func.sum(r.c.invited) > 0).subquery("summed")
    month = month_of(facts.c.starts_at).label("key")
    # month first: grouped by organisation_id first, SQLite walks the organisation index
    per_organisation = _not_ended(scope, _ANY_TIME, month, facts.c.organisation_id).subquery("late")
    pending = organisation_filters(
        sa.select(per_organisation.c.key, sa.func.sum(per_organisation.c.n).label("n")),
        per_organisation.c.organisation_id,
        scope,
    )
    pending = pending.group_by(per_organisation.c.key).subquery("pending")
    return sa.select(
        sa.literal(0).label("is_total"),
        summed.c.key,
        *[summed.c[name] for name in ROLLUP_COUNTS],
        (summed.c.accepted_absent - sa.func.coalesce(pending.c.n, 0)).label("no_shows"),
    ).select_from(summed.outerjoin(pending, pending.c.key == summed.c.key))


def per_month(
    scope: Scope, now: datetime, first: str | None, last: str | None, people: bool = True
) -> tuple[list[Any], dict]:
    """The per-month trend over whole months, from the rollups: the additive counts from
    `attendance_rollup` summed per month (no-shows corrected as in `_rollup_stage`), the
    distinct participants from `attendance_presence` in its key order (month, contact)."""
    p = presence_table

    def in_scope(stmt: sa.Select, table: sa.Table) -> sa.Select:
        return months_in_scope(stmt, table, scope, first, last)

    additive = _per_month_additive(scope, first, last, db.session.get_bind().dialect.name)
    rows, _none = read_counts(db.session.execute(additive, {"now_pending": now}))
    # every invitation is in one month: the totals are the months' sums
    total = {name: sum(counts[name] for counts in rows.values()) for name in ADDITIVE}
    # count(DISTINCT) sorts each month's contacts (the rows come in month order); a DISTINCT
    # subquery would hash every pair of the span at once (docs/benchmarks.md, "Fast paths")
    if not people:
        return counted_items(rows, total)
    repeat = repeaters(scope, first, last).subquery("repeaters")
    flagged = p.outerjoin(repeat, repeat.c.contact_id == p.c.contact_id)
    distinct = [
        sa.func.count(sa.distinct(p.c.contact_id)),
        sa.func.count(sa.distinct(repeat.c.contact_id)),
    ]
    statement = sa.union_all(
        in_scope(sa.select(sa.literal(0), p.c.month, *distinct).select_from(flagged), p).group_by(
            p.c.month
        ),
        in_scope(sa.select(sa.literal(1), sa.null(), *distinct).select_from(flagged), p),
    )
    read_people(db.session.execute(statement), rows, total)
    return counted_items(rows, total)


def participants(
    columns: list[str], scope: Scope, first: str | None, last: str | None
) -> list[tuple]:
    """(value of each contact column…, distinct participants): the scope's distinct contacts
    in `attendance_presence`, joined to the contacts once and grouped by those columns."""
    p = presence_table
    people = months_in_scope(sa.select(p.c.contact_id), p, scope, first, last).distinct()
    people = people.subquery("people")
    keys = [contacts.c[name] for name in columns]
    stmt = (
        sa.select(*keys, sa.func.count())
        .select_from(people.join(contacts, contacts.c.id == people.c.contact_id))
        .group_by(*keys)
    )
    return [tuple(row) for row in db.session.execute(stmt).all()]
