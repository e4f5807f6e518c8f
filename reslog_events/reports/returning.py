"""Returning participants and returning municipalities per month (the dashboard's trend):
in each month of the period, the people (and the municipalities) who attended an event that
month and had already attended one in an earlier month. "Earlier" looks back past the
period's start (with the report's other filters): a person first seen in January and back in
March is returning in March whatever the period.

Over whole months of organisations the (month, person) pairs come from
`attendance_presence` and the (month, organisation) pairs from `attendance_rollup` (rows with
attendance), both small next to the facts; anything finer reads the facts.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..directory.models import OrganisationKind
from ..extensions import db
from .groupings import facts, month_of
from .monthly import months_in_scope
from .scope import (
    ATTENDED,
    Scope,
    facts_in_scope,
    presence_table,
    rollup_table,
    whole_months,
)

SERIES = ("returning_participants", "returning_municipalities")


def _pairs(scope: Scope, municipalities: bool) -> sa.Select:
    """Distinct (month, who) that attended in scope: people, or municipalities."""
    if municipalities:
        scope = replace(scope, organisation_kind=OrganisationKind.municipality)
    months = whole_months(scope)
    if months is not None:
        if municipalities:
            r = rollup_table
            stmt = sa.select(r.c.month, r.c.organisation_key.label("who")).where(r.c.attended > 0)
            return months_in_scope(stmt, r, scope, *months).distinct()
        p = presence_table
        stmt = sa.select(p.c.month, p.c.contact_id.label("who"))
        return months_in_scope(stmt, p, scope, *months).distinct()
    who = facts.c.organisation_id if municipalities else facts.c.contact_id
    stmt = facts_in_scope([month_of(facts.c.starts_at).label("month"), who.label("who")], scope)
    return stmt.where(ATTENDED).distinct()


@lru_cache(maxsize=64)
def _statement(scope: Scope, municipalities: bool, dialect: str) -> sa.Select:
    """The statement of `_returning` for people or municipalities in `scope`, built once per
    scope (its values are all the scope's): building it and its cache key cost more of the
    dashboard's CPU than the rows it reads (bench/pages.py, the dashboard). `dialect`: the
    month's SQL differs by database (`groupings.month_of`)."""
    undated = replace(scope, starts_from=None, starts_before=None)
    return _returning(_pairs(scope, municipalities), _pairs(undated, municipalities))


def _returning(current: sa.Select, ever: sa.Select) -> sa.Select:
    """(month, who came that month (`current`) and in an earlier one (`ever`))."""
    came = current.cte("came")
    before = ever.cte("ever")
    firsts = (
        sa.select(before.c.who, sa.func.min(before.c.month).label("first"))
        .group_by(before.c.who)
        .cte("firsts")
    )
    stmt = (
        sa.select(came.c.month, sa.func.count())
        .select_from(came.join(firsts, firsts.c.who == came.c.who))
        .where(came.c.month > firsts.c.first)
        .group_by(came.c.month)
    )
    return stmt


def per_month(scope: Scope) -> dict[str, dict[str, int]]:
    """{month: {"returning_participants", "returning_municipalities"}} for the months of the
    period with any."""
    dialect = db.session.get_bind().dialect.name
    counted: dict[str, dict[str, int]] = {}
    for name, municipalities in zip(SERIES, (False, True), strict=True):
        for key, n in db.session.execute(_statement(scope, municipalities, dialect)):
            counted.setdefault(key, dict.fromkeys(SERIES, 0))[name] = int(n)
    return counted


def rows_for(months: list[str], counted: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """One row per month of the trend (in its order), zeros where none returned."""
    return [{"key": key, **counted.get(key, dict.fromkeys(SERIES, 0))} for key in months]
