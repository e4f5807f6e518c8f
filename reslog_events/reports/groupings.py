"""Group-bys of the attendance report: the key each groups on (and the join it needs), and the
labels of the groups (one query over the groups, never over rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import load_only

from ..core import datetimes
from ..core.countries import country_name
from ..core.turkish import sort_key
from ..directory.models import (
    Contact,
    Gender,
    Organisation,
    OrganisationKind,
    RoleCategory,
    union_membership,
)
from ..directory.provinces import province_name
from ..events.display import event_title
from ..events.models import Event, EventKind, EventLevel
from ..events.visibility import hosted_by_union
from ..extensions import db
from .models import AttendanceFact
from .schemas import GroupBy

#: the report's zone (documented in `queries`): Europe/Istanbul's fixed offset since 2016. The
#: rollup triggers (migrations 0005, 0007) use the same offset; a test compares them.
REPORT_ZONE_NAME = "Europe/Istanbul"
REPORT_OFFSET = timedelta(hours=3)

facts = AttendanceFact.__table__
events = Event.__table__
organisations = Organisation.__table__
contacts = Contact.__table__


def union_map() -> sa.Subquery:
    """(organisation_id, union_id): union members, and each union as its own member."""
    members = sa.select(
        union_membership.c.organisation_id.label("organisation_id"),
        union_membership.c.union_id.label("union_id"),
    )
    selves = sa.select(
        organisations.c.id.label("organisation_id"), organisations.c.id.label("union_id")
    ).where(organisations.c.kind == OrganisationKind.union.value)
    return sa.union_all(members, selves).subquery("union_map")


def month_of(column: sa.ColumnElement) -> sa.ColumnElement:
    """'YYYY-MM' of a UTC timestamp in the report zone, the same on SQLite and PostgreSQL."""
    minutes = int(REPORT_OFFSET.total_seconds()) // 60
    if db.session.get_bind().dialect.name == "postgresql":
        hours, rest = divmod(abs(minutes), 60)
        interval = f"INTERVAL '{'-' if minutes < 0 else '+'}{hours:02d}:{rest:02d}'"
        shifted = sa.func.timezone(sa.literal_column(interval), column)
        return sa.func.to_char(shifted, "YYYY-MM")
    return sa.func.strftime("%Y-%m", column, f"{minutes:+d} minutes")


@dataclass(frozen=True)
class Grouping:
    """How to group: the first stage groups the facts on `base` (and the contact); `key` joins
    what it needs onto that small result and gives each group's key."""

    base: str
    key: Callable[[sa.Select, sa.ColumnElement], tuple[sa.Select, sa.ColumnElement]]
    #: (keys) → {key: (label, sort key)}; runs one query over the groups, not over rows
    labels: Callable[[list[Any]], dict[Any, tuple[str, Any]]]
    #: the key computed from a facts row itself (the event's type, level, month), if it can be
    fact_key: Callable[[], sa.ColumnElement] | None = None
    #: (statement, key) → (statement joined, ORDER BY columns): the labels' order in SQL, so
    #: that the database can give one page of the groups (`reports.paging`); keyed groupings
    #: whose labels are made in Python (provinces, countries) have none
    order: Callable[[sa.Select, sa.ColumnElement], tuple[sa.Select, list]] | None = None
    #: the labels name things the reader may not see all of (a series by one of its events):
    #: `labels` then takes (keys, the reader's union or None), from `Scope.host_union_id`
    within_reach: bool = False


def same_as_base(stmt: sa.Select, base: sa.ColumnElement) -> tuple[sa.Select, sa.ColumnElement]:
    return stmt, base


def _org_column(column: str):
    def key(stmt: sa.Select, base: sa.ColumnElement) -> tuple[sa.Select, sa.ColumnElement]:
        dim = organisations.alias("dim_org")
        return stmt.outerjoin(dim, dim.c.id == base), dim.c[column]

    return key


def _union(stmt: sa.Select, base: sa.ColumnElement) -> tuple[sa.Select, sa.ColumnElement]:
    umap = union_map()
    return stmt.outerjoin(umap, umap.c.organisation_id == base), umap.c.union_id


def _event_column(expression: Callable[[Any], sa.ColumnElement]):
    def key(stmt: sa.Select, base: sa.ColumnElement) -> tuple[sa.Select, sa.ColumnElement]:
        dim = events.alias("dim_event")
        return stmt.join(dim, dim.c.id == base), expression(dim)

    return key


def _contact_column(column: str):
    def key(stmt: sa.Select, base: sa.ColumnElement) -> tuple[sa.Select, sa.ColumnElement]:
        dim = contacts.alias("dim_contact")
        return stmt.join(dim, dim.c.id == base), dim.c[column]

    return key


def _organisation_labels(none_label: Callable[[], str]):
    def labels(keys: list[Any]) -> dict[Any, tuple[str, Any]]:
        ids = {k for k in keys if k is not None}
        stmt = sa.select(
            organisations.c.id,
            organisations.c.name,
            organisations.c.sort_key,
            organisations.c.confirmed,
        )
        # the whole directory's summary names most organisations: reading them all is cheaper
        # than sending (and planning) an IN list of a thousand ids
        if len(ids) <= 200:
            stmt = stmt.where(organisations.c.id.in_(ids))
        # one recorded at the door counts from the start, marked until an organiser confirms it
        found = {
            ident: (
                name if confirmed else _("%(name)s (unconfirmed)", name=name),
                (0, order, ident),
            )
            for ident, name, order, confirmed in db.session.execute(stmt).all()
            if ident in ids
        }
        found[None] = (none_label(), (1, ""))
        return found

    return labels


def _organisation_order(stmt: sa.Select, key: sa.ColumnElement) -> tuple[sa.Select, list]:
    """`_organisation_labels`' order: (0, sort key, id), then no organisation (1, ""), then an
    id no longer in the directory (2, the id as text)."""
    dim = organisations.alias("order_org")
    rank = sa.case((key.is_(None), 1), (dim.c.id.is_(None), 2), else_=0)
    text = sa.func.coalesce(dim.c.sort_key, sa.cast(key, sa.String))
    return stmt.outerjoin(dim, dim.c.id == key), [rank, text, key]


def _province_labels(keys: list[Any]) -> dict[Any, tuple[str, Any]]:
    """ISO 3166-2 codes → the province's name in the page's language."""
    out: dict[Any, tuple[str, Any]] = {}
    for k in keys:
        if k:
            name = province_name(k)
            out[k] = (name, (0, sort_key(name)))
    out[None] = (_("Unknown"), (1, ""))
    return out


def _country_labels(keys: list[Any]) -> dict[Any, tuple[str, Any]]:
    out = {}
    for k in keys:
        name = country_name(k)
        out[k] = (name, (0 if k else 1, sort_key(name)))
    return out


def _event_labels(keys: list[Any]) -> dict[Any, tuple[str, Any]]:
    rows = db.session.execute(
        sa.select(events.c.id, events.c.title, Event.starts_at).where(events.c.id.in_(keys))
    ).all()
    return {row.id: (row.title, (row.starts_at, row.id)) for row in rows}


def _event_order(stmt: sa.Select, key: sa.ColumnElement) -> tuple[sa.Select, list]:
    """`_event_labels`' order: by start, then id."""
    dim = events.alias("order_event")
    return stmt.join(dim, dim.c.id == key), [dim.c.starts_at, key]


def _series_labels(keys: list[Any], host_union_id: int | None) -> dict[Any, tuple[str, Any]]:
    """A series has no title of its own: it reads as its first event's title (the event it was
    made from), in the page's language, as the reports' series filter names it. For a
    union-scoped reader, the first of the events the reader may count, never the title of an
    event they may not see. Events in no series: one row, last."""
    ids = [k for k in keys if k is not None]
    stmt = (
        sa.select(Event)
        .options(load_only(Event.series_id, Event.title, Event.translations))
        .where(Event.series_id.in_(ids))
        .order_by(Event.series_id, Event.starts_at, Event.id)
    )
    if host_union_id is not None:
        stmt = stmt.where(hosted_by_union(host_union_id))
    out: dict[Any, tuple[str, Any]] = {}
    for event in db.session.scalars(stmt) if ids else ():
        if event.series_id not in out:
            title = event_title(event)
            out[event.series_id] = (title, (0, sort_key(title), event.series_id))
    out[None] = (_("Not in a series"), (1, ""))
    return out


def _enum_labels(enum: type) -> Callable[[list[Any]], dict[Any, tuple[str, Any]]]:
    order = {member.value: i for i, member in enumerate(enum)}

    def labels(keys: list[Any]) -> dict[Any, tuple[str, Any]]:
        return {k: (str(enum(k).label), order[k]) for k in keys if k in order}

    return labels


def month_label(key: str) -> str:
    return _month_label(key, datetimes.current_locale())


@lru_cache(maxsize=4096)
def _month_label(key: str, locale: str) -> str:
    # kept per (month, language): the dashboard's trends name every month of the period
    # (bench/pages.py, the dashboard)
    year, month = (int(part) for part in key.split("-"))
    return datetimes.month(date(year, month, 1), locale)


def _month_labels(keys: list[Any]) -> dict[Any, tuple[str, Any]]:
    locale = datetimes.current_locale()  # once, not per month (bench/pages.py, the dashboard)
    return {k: (_month_label(k, locale), k) for k in keys if k}


ORG, EVENT, CONTACT = "organisation_id", "event_id", "contact_id"

GROUPINGS: dict[GroupBy, Grouping] = {
    GroupBy.organisation: Grouping(
        ORG,
        same_as_base,
        _organisation_labels(lambda: _("No organisation")),
        order=_organisation_order,
    ),
    GroupBy.union: Grouping(ORG, _union, _organisation_labels(lambda: _("Not in a union"))),
    GroupBy.province: Grouping(ORG, _org_column("province"), _province_labels),
    GroupBy.country: Grouping(ORG, _org_column("country"), _country_labels),
    GroupBy.event: Grouping(EVENT, same_as_base, _event_labels, order=_event_order),
    GroupBy.event_kind: Grouping(
        EVENT, _event_column(lambda e: e.c.kind), _enum_labels(EventKind), lambda: facts.c.kind
    ),
    GroupBy.level: Grouping(
        EVENT, _event_column(lambda e: e.c.level), _enum_labels(EventLevel), lambda: facts.c.level
    ),
    GroupBy.gender: Grouping(CONTACT, _contact_column("gender"), _enum_labels(Gender)),
    GroupBy.role_category: Grouping(
        CONTACT, _contact_column("role_category"), _enum_labels(RoleCategory)
    ),
    GroupBy.month: Grouping(
        EVENT,
        _event_column(lambda e: month_of(e.c.starts_at)),
        _month_labels,
        lambda: month_of(facts.c.starts_at),
    ),
    # the series of the event: a key over the same per-event groups as `event`
    GroupBy.series: Grouping(
        EVENT, _event_column(lambda e: e.c.series_id), _series_labels, within_reach=True
    ),
}
