"""Reads of series: the series of an event and its siblings as a user may see them."""

from __future__ import annotations

import sqlalchemy as sa

from ..auth.models import User
from ..events.models import Event
from ..events.visibility import visible_to
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
