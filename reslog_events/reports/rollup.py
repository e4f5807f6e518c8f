"""The one definition of the attendance counts of a fact (an invitation), and the rebuild of
`attendance_rollup` and `attendance_presence` (see their models) from it.

The report's queries (`queries.py`, `scope.no_show`) count with `FACT_COUNTS`; the rebuild after
a bulk load sums it. The triggers that keep the rollups row by row are frozen history in
migrations 0005 and 0007; tests/reports/test_count_definitions.py checks, on SQLite and
PostgreSQL, that what they keep equals what this definition rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from .groupings import facts, month_of
from .models import AttendancePresence, AttendanceRollup

#: the additive counts of one fact, as conditions on its row (`attendance_days` sums `days`);
#: `accepted_absent` is a no-show once the event has ended (`scope.no_show`)
FACT_COUNTS: dict[str, Callable[[Any], sa.ColumnElement[bool]]] = {
    "invited": lambda f: sa.true(),
    "accepted": lambda f: f.c.status == "accepted",
    "declined": lambda f: f.c.status == "declined",
    "tentative": lambda f: f.c.status == "tentative",
    "no_response": lambda f: f.c.status == "pending",
    "waitlisted": lambda f: f.c.status == "waitlisted",
    "attended": lambda f: f.c.days > 0,
    "walk_ins": lambda f: sa.and_(f.c.days > 0, sa.or_(f.c.status != "accepted", f.c.is_walk_in)),
    "accepted_absent": lambda f: sa.and_(f.c.status == "accepted", f.c.days == 0, ~f.c.is_walk_in),
}

#: the rollup's count columns, in the table's order
ROLLUP_COLUMNS = (*FACT_COUNTS, "attendance_days")


def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.count().filter(condition)


def counted(f: Any = facts) -> sa.ColumnElement[bool]:
    """The facts the reports count: invitations not revoked, of events not cancelled."""
    return sa.and_(f.c.status != "revoked", f.c.event_status != "cancelled")


def _keyed() -> sa.Subquery:
    """The counted facts with their rollup keys (grouped outside: a key computed with bound
    parameters would not match itself in PostgreSQL's GROUP BY)."""
    return (
        sa.select(
            facts.c.status,
            facts.c.days,
            facts.c.is_walk_in,
            facts.c.contact_id,
            sa.func.coalesce(facts.c.organisation_id, 0).label("organisation_key"),
            month_of(facts.c.starts_at).label("month"),
        )
        .where(counted())
        .subquery("keyed")
    )


def backfill() -> sa.Insert:
    """INSERT … SELECT of every rollup row from the facts."""
    f = _keyed()
    sums = [count_if(condition(f)) for condition in FACT_COUNTS.values()]
    select = sa.select(
        f.c.organisation_key, f.c.month, *sums, sa.func.coalesce(sa.func.sum(f.c.days), 0)
    ).group_by(f.c.organisation_key, f.c.month)
    table = AttendanceRollup.__table__
    return table.insert().from_select(["organisation_key", "month", *ROLLUP_COLUMNS], select)


def presence_backfill() -> sa.Insert:
    """INSERT … SELECT of every presence row (month, contact, organisation) from the facts."""
    f = _keyed()
    select = (
        sa.select(f.c.month, f.c.contact_id, f.c.organisation_key, sa.func.count())
        .where(FACT_COUNTS["attended"](f))
        .group_by(f.c.month, f.c.contact_id, f.c.organisation_key)
    )
    table = AttendancePresence.__table__
    return table.insert().from_select(
        ["month", "contact_id", "organisation_key", "attended"], select
    )
