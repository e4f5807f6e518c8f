"""The demo's forum under way today: whenever `flask demo` runs, one forum is open at the door
right now, so that a new user can try the scanner at once. A run on a later day moves it to
that day (its invitations stay; check-ins of days that are no longer the forum's go)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..audit.operations import record
from ..checkin.models import CheckIn
from ..core.columns import utcnow
from ..events.models import Event
from ..extensions import db


def times_today(opens: str, closes: str, zone_name: str, now: datetime | None = None):
    """Start and end around now, on today's date in the event's zone: from `opens` (or an hour
    ago, if earlier) to `closes` (or two hours from now, if later, but not past midnight)."""
    zone = ZoneInfo(zone_name)
    local_now = (now or utcnow()).astimezone(zone)
    today = local_now.date()
    midnight = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone)
    starts = min(
        datetime.combine(today, time.fromisoformat(opens), tzinfo=zone),
        local_now - timedelta(hours=1),
    )
    starts = max(starts, datetime.combine(today, time(0), tzinfo=zone))
    ends = datetime.combine(today, time.fromisoformat(closes), tzinfo=zone)
    ends = min(max(ends, local_now + timedelta(hours=2)), midnight)
    return starts, ends


def is_under_way_today(event: Event, now: datetime | None = None) -> bool:
    now = now or utcnow()
    today = now.astimezone(event.zone).date()
    return event.starts_at <= now < event.ends_at and event.local_starts_at.date() == today


def keep_under_way(event: Event, opens: str, closes: str) -> bool:
    """Move the forum to today if it is not under way now; True when it was moved."""
    if is_under_way_today(event):
        return False
    starts, ends = times_today(opens, closes, event.timezone)
    moved_by = starts - event.starts_at
    event.starts_at, event.ends_at = starts, ends
    if event.rsvp_deadline is not None:
        event.rsvp_deadline = event.rsvp_deadline + moved_by
    db.session.execute(
        sa.delete(CheckIn).where(CheckIn.event_id == event.id, CheckIn.day != starts.date())
    )
    record(
        "event.update",
        event,
        {"starts_at": starts.isoformat(), "ends_at": ends.isoformat(), "demo": "under way today"},
        actor="cli",
    )
    return True
