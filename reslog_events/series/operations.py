"""Writes on series: make one from an event, change its rule for the occurrences to come, cancel
the remaining ones. Each is audited on the series inside the caller's transaction; the caller
commits. Changing or cancelling first answers a plan (`dry_run`), which the pages show for
confirmation: which events move, which are made, which are cancelled and whom that notifies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.errors import DomainError
from ..events.models import Event, EventStatus
from ..events.operations import cancel_event, lock_event
from ..events.queries import invitees_to_notify
from ..extensions import db
from .copying import copy_event, move_draft
from .models import EventSeries
from .rules import Rule, check, occurrence_days


class SeriesConflict(DomainError):
    """The event or series's state forbids it (409)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(409, code, message)


def _locked(series: EventSeries) -> EventSeries:
    """The series re-read and locked until commit (PostgreSQL): changes queue up."""
    return (
        db.session.get(EventSeries, series.id, with_for_update=True, populate_existing=True)
        or series
    )


def _rule_of(series: EventSeries) -> Rule:
    return Rule(
        series.frequency,
        series.interval,
        series.week_of_month,
        series.weekday,
        series.until,
        series.occurrences,
    )


def _rule_data(rule: Rule) -> dict:
    return {
        "frequency": rule.frequency.value,
        "interval": rule.interval,
        "week_of_month": rule.week_of_month,
        "weekday": rule.weekday,
        "until": rule.until.isoformat() if rule.until else None,
        "occurrences": rule.occurrences,
    }


def _store(series: EventSeries, rule: Rule) -> None:
    series.frequency = rule.frequency
    series.interval = rule.interval
    series.week_of_month = rule.week_of_month
    series.weekday = rule.weekday
    series.until = rule.until
    series.occurrences = rule.occurrences


def occurrences(series_id: int) -> list[Event]:
    """The series's events, first to last."""
    return list(
        db.session.scalars(
            sa.select(Event).where(Event.series_id == series_id).order_by(Event.starts_at, Event.id)
        )
    )


def create_series(
    event: Event, rule: Rule, *, actor: User, with_invitations: bool = False
) -> tuple[EventSeries, list[Event]]:
    """A series whose first occurrence is `event`, with a draft copy of it on every later day
    the rule gives (days already past are left out)."""
    event = lock_event(event.id) or event  # two requests at once make one series
    if event.is_cancelled:
        raise SeriesConflict("event_cancelled", _("A cancelled event cannot start a series."))
    if event.series_id is not None:
        raise SeriesConflict("already_in_series", _("This event is already part of a series."))
    first_day = event.local_starts_at.date()
    check(rule, first_day)
    rule = rule.completed(first_day)
    series = EventSeries(first_day=first_day, created_by=actor)
    _store(series, rule)
    db.session.add(series)
    db.session.flush()
    event.series_id = series.id
    today = utcnow().astimezone(event.zone).date()
    copies = [
        copy_event(event, day, with_invitations=with_invitations, actor=actor, series_id=series.id)
        for day in occurrence_days(rule, first_day)
        if day >= today
    ]
    record(
        "series.create",
        series,
        {"event_id": event.id, "rule": _rule_data(rule), "created": [e.id for e in copies]},
    )
    return series, copies


@dataclass
class Plan:
    """What a change of the rule, or a cancellation, does to the occurrences."""

    #: drafts moved to another day: (event, new day)
    moved: list[tuple[Event, date]] = field(default_factory=list)
    #: days a new draft is made for
    created: list[date] = field(default_factory=list)
    #: occurrences cancelled, with how many invitees hear of it
    cancelled: list[tuple[Event, int]] = field(default_factory=list)
    #: occurrences left as they are (started, or published: change those one by one)
    kept: list[Event] = field(default_factory=list)
    #: the events made when the plan was carried out
    new_events: list[Event] = field(default_factory=list)


def _to_notify(event: Event) -> int:
    """Invitees who hear of the event's cancellation: a draft's invitations never left."""
    return invitees_to_notify(event.id) if event.status == EventStatus.published else 0


def _template(series: EventSeries) -> Event:
    events = occurrences(series.id)
    if not events:
        raise SeriesConflict("series_empty", _("The series has no events left."))
    return events[0]


def change_series(
    series: EventSeries,
    rule: Rule,
    *,
    actor: User,
    with_invitations: bool = False,
    dry_run: bool = False,
) -> Plan:
    """Apply a new rule to the occurrences to come: drafts not started move to the new days in
    order, missing days get a new draft copied from the first event, drafts left over are
    cancelled; published or started occurrences stay (see the Plan)."""
    series = _locked(series)
    if series.cancelled_at is not None:
        raise SeriesConflict("series_cancelled", _("The series was cancelled."))
    check(rule, series.first_day)
    rule = rule.completed(series.first_day)
    template = _template(series)
    now = utcnow()
    today = now.astimezone(template.zone).date()
    plan = Plan()
    movable: list[Event] = []
    for event in occurrences(series.id):
        if event.is_cancelled:
            continue
        if event is template or event.starts_at <= now or event.status != EventStatus.draft:
            plan.kept.append(event)
        else:
            movable.append(event)
    taken = {event.local_starts_at.date() for event in plan.kept}
    days = [
        day for day in occurrence_days(rule, series.first_day) if day >= today and day not in taken
    ]
    for event, day in zip(movable, days, strict=False):
        if event.local_starts_at.date() != day:
            plan.moved.append((event, day))
    plan.created = days[len(movable) :]
    plan.cancelled = [(event, _to_notify(event)) for event in movable[len(days) :]]
    if dry_run:
        return plan
    for event, day in plan.moved:
        move_draft(event, day)
    for event, _notified in plan.cancelled:
        cancel_event(lock_event(event.id) or event)
    plan.new_events = [
        copy_event(
            template, day, with_invitations=with_invitations, actor=actor, series_id=series.id
        )
        for day in plan.created
    ]
    old = _rule_data(_rule_of(series))
    _store(series, rule)
    db.session.flush()
    record(
        "series.update",
        series,
        {
            "rule": [old, _rule_data(rule)],
            "moved": [event.id for event, _day in plan.moved],
            "cancelled": [event.id for event, _n in plan.cancelled],
            "created": [event.id for event in plan.new_events],
        },
    )
    return plan


def cancel_remaining(series: EventSeries, *, actor: User, dry_run: bool = False) -> Plan:
    """Cancel every occurrence that has not started, by the events' own cancellation (invitees
    of published ones get the calendar cancellation); the series ends there."""
    series = _locked(series)
    if series.cancelled_at is not None:
        raise SeriesConflict("series_cancelled", _("The series was cancelled."))
    now = utcnow()
    plan = Plan()
    for event in occurrences(series.id):
        if event.is_cancelled:
            continue
        if event.starts_at > now:
            plan.cancelled.append((event, _to_notify(event)))
        else:
            plan.kept.append(event)
    if dry_run:
        return plan
    for event, _notified in plan.cancelled:
        cancel_event(lock_event(event.id) or event)
    series.cancelled_at = now
    db.session.flush()
    record(
        "series.cancel",
        series,
        {
            "cancelled": [event.id for event, _n in plan.cancelled],
            "notified": sum(n for _e, n in plan.cancelled),
        },
        user_id=actor.id,
    )
    return plan
