"""One page of the dashboard's table from the database: the page's groups in the labels' order
(`Grouping.order`, LIMIT/OFFSET as row numbers), the totals and the number of groups over every
group, from one aggregate statement; then the participants of the page's groups (and of all,
for the totals) and the labels of the page's groups only. The counts are those of
`queries.table` (the same stages and statements, tests/reports/test_paging.py compares them);
the full table stays what the print view, the downloads and the API read.

Only for readers who see exact counts: small-cell suppression (`suppression.for_reader`) must
see every row to hide complementary cells, so coordinators' pages are cut from the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..core.columns import utcnow
from ..directory.models import OrganisationKind
from ..extensions import db
from . import queries
from .groupings import GROUPINGS, organisations, same_as_base
from .schemas import GroupBy
from .scope import ADDITIVE, Scope, counted_items, read_people

#: bars of the dashboard's municipalities chart
TOP_MUNICIPALITIES = 15


@dataclass
class TablePage:
    rows: list[dict[str, Any]]
    totals: dict[str, int]
    #: groups of the whole table (for the pager)
    count: int
    #: the municipalities chart's rows (`key`, `label`, `attended`) when the page's statement
    #: could give them (grouped by organisation): the top ones by attendance, ties included
    municipalities: list[dict[str, Any]] | None = field(default=None)


def can_page(group_by: GroupBy) -> bool:
    """Whether the database can order and cut this grouping's table."""
    grouping = GROUPINGS[group_by]
    return grouping.order is not None and grouping.key is same_as_base


def _counts(stage: Any) -> list[sa.ColumnElement]:
    return [stage.c[name] for name in ADDITIVE]


def _statement(grouping: Any, stage: Any, first: int, last: int, chart: bool) -> sa.Select:
    """Rows `part` 0: the groups numbered `first`..`last` in the labels' order (`ordinal`);
    1: the totals of every group, and their number (`ordinal`); 2 (`chart`): the
    municipalities with attendance ranked in the top `TOP_MUNICIPALITIES` (ties included)."""
    key = stage.c[grouping.base]
    numbered, order = grouping.order(sa.select(), key)
    numbered = (
        numbered.add_columns(
            key.label("key"), *_counts(stage), sa.func.row_number().over(order_by=order)
        )
        .select_from(stage)
        .subquery("numbered")
    )
    ordinal = list(numbered.c)[-1]
    parts = [
        sa.select(sa.literal(0).label("part"), *list(numbered.c)[:-1], ordinal.label("ordinal"))
        .select_from(numbered)
        .where(ordinal.between(first, last)),
        sa.select(
            sa.literal(1),
            sa.null(),
            *[sa.func.sum(stage.c[name]) for name in ADDITIVE],
            sa.func.count(),
        ).select_from(stage),
    ]
    if chart:
        municipal = sa.select(organisations.c.id).where(
            organisations.c.kind == OrganisationKind.municipality.value
        )
        ranked = (
            sa.select(
                key.label("key"),
                stage.c.attended,
                sa.func.rank().over(order_by=stage.c.attended.desc()).label("place"),
            )
            .where(key.in_(municipal), stage.c.attended > 0)
            .subquery("ranked")
        )
        parts.append(
            sa.select(
                sa.literal(2),
                ranked.c.key,
                *[ranked.c.attended if name == "attended" else sa.null() for name in ADDITIVE],
                ranked.c.place,
            ).where(ranked.c.place <= TOP_MUNICIPALITIES)
        )
    return sa.union_all(*parts)


#: stands for the request's time in the cached statements; each execution binds the real one
#: (`now` on the facts, `now_pending` on the rollups' not-yet-ended correction)
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=64)
def _statements(
    group_by: GroupBy, scope: Scope, first: int, last: int, none_key: bool, dialect: str
) -> tuple[sa.CompoundSelect, sa.CompoundSelect]:
    """The page's statement and its participants' statement (the page's keys bound as
    `page_keys`), built once per scope and page: building these unions of CTEs cost more of
    the dashboard's CPU than running them (bench/pages.py, the dashboard). `dialect`: the
    SQL differs by database (`queries.people_statement`)."""
    grouping = GROUPINGS[group_by]
    stage, months = queries.additive_stage(grouping, scope, _ANY_TIME)
    chart = group_by == GroupBy.organisation and scope.organisation_kind is None
    page = _statement(grouping, stage, first, last, chart)
    keys = sa.bindparam("page_keys", expanding=True)
    people = queries.people_statement(grouping, scope, months, keys=keys, none_key=none_key)
    return page, people


def table_page(
    group_by: GroupBy, scope: Scope, page: int, per_page: int, now: datetime | None = None
) -> TablePage:
    """Page `page` (from 1) of `queries.table(group_by, scope)`, its totals those of every
    row. Grouped by organisation, the municipalities chart's rows come with it."""
    queries._tune()
    now = now or utcnow()
    times = {"now": now, "now_pending": now}
    first = (page - 1) * per_page + 1
    last = first + per_page - 1
    dialect = queries._dialect()
    statement, _people = _statements(group_by, scope, first, last, False, dialect)
    rows: dict[Any, dict[str, int]] = {}
    total: dict[str, int] = {}
    count = 0
    attended: list[tuple[Any, int]] = []
    for part, key, *values, ordinal in db.session.execute(statement, times):
        if part == 2:
            attended.append((key, int(values[ADDITIVE.index("attended")])))
            continue
        counts = {name: int(v or 0) for name, v in zip(ADDITIVE, values, strict=True)}
        if part == 0:
            rows[key] = counts
        else:
            total, count = counts, int(ordinal)
    _page, people = _statements(group_by, scope, first, last, None in rows, dialect)
    keys = [key for key in rows if key is not None]
    read_people(db.session.execute(people, {**times, "page_keys": keys}), rows, total)
    items, total = counted_items(rows, total)
    chart = group_by == GroupBy.organisation and scope.organisation_kind is None
    if not chart:
        return TablePage(queries._labelled(group_by, items), total, count)
    # the page's organisations and the chart's named in one statement (bench/pages.py, the
    # dashboard)
    wanted = [item["key"] for item in items] + [key for key, _n in attended]
    labels = GROUPINGS[GroupBy.organisation].labels(list(dict.fromkeys(wanted)))
    municipalities = [
        {"key": key, "label": str(labels[key][0]), "attended": n} for key, n in attended
    ]
    rows = queries._labelled(group_by, items, labels=labels)
    return TablePage(rows, total, count, municipalities)
