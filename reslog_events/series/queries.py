"""Reads of series: the series of an event and its siblings as a user may see them."""

from __future__ import annotations

import sqlalchemy as sa

from ..auth.models import User
from ..core.turkish import sort_key
from ..events.models import Event
from ..events.visibility import hosted_by_union, visible_to
from ..extensions import db
from .models import EventSeries


def series_of(event: Event) -> EventSeries | None:
    return db.session.get(EventSeries, event.series_id) if event.series_id else None


def siblings(series_id: int, user: User) -> list[Event]:
    """The series's events the user may see, first to last."""
    return list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.series_id == series_id, visible_to(user))
            .order_by(Event.starts_at, Event.id)
        )
    )


def series_summary(event: Event, user: User) -> dict | None:
    """For the event page: its series and the other occurrences."""
    series = series_of(event)
    if series is None:
        return None
    return {"series": series, "events": siblings(series.id, user)}


def series_choices(host_union_id: int | None = None) -> list[tuple[str, str]]:
    """(id, the title of its first event) of every series, for the reports' filter; with
    `host_union_id`, only series with an event the union's readers may count."""
    stmt = (
        sa.select(Event.series_id, Event.title)
        .where(Event.series_id.is_not(None))
        .order_by(Event.series_id, Event.starts_at, Event.id)
    )
    if host_union_id is not None:
        stmt = stmt.where(hosted_by_union(host_union_id))
    first: dict[int, str] = {}
    for series_id, title in db.session.execute(stmt):
        first.setdefault(series_id, title)
    return sorted(((str(k), v) for k, v in first.items()), key=lambda item: sort_key(item[1]))
