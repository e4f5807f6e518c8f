"""JSON API of copies and series: `/api/v1/events/{id}/copy` and `/api/v1/events/{id}/series`.
The event id is checked against the caller's union and teams by `endpoint`: only an event the
caller can see is copied, or has its series read or changed."""

from __future__ import annotations

from typing import Any

from flask import g

from ..auth.models import User
from ..auth.permissions import EDITORS, EVENT_READERS
from ..core.api import api_blueprint, endpoint, not_found
from ..events.models import Event
from ..events.visibility import event_or_404
from ..extensions import db
from . import operations, queries
from .copying import copy_event as copy_to_day
from .models import EventSeries
from .rules import MAX_OCCURRENCES
from .schemas import CancelIn, ChangeIn, CopyIn, EventOut, PlanOut, RuleIn, SeriesOut

bp = api_blueprint("series_api", __name__)

_CONFLICT = {409: "The event or series does not allow this (cancelled, already in a series)"}


def series_out(series: EventSeries, user: User) -> dict[str, Any]:
    out = SeriesOut.model_validate(series).model_dump()
    out["events"] = queries.siblings(series.id, user)
    return out


def plan_out(plan: operations.Plan, dry_run: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "moved": [{"id": event.id, "starts_on": day} for event, day in plan.moved],
        "created": plan.created,
        "created_ids": [event.id for event in plan.new_events],
        "cancelled": [{"id": event.id, "notified": n} for event, n in plan.cancelled],
        "kept": [event.id for event in plan.kept],
    }


def _series_or_404(event_id: int) -> EventSeries:
    series = queries.series_of(event_or_404(event_id))
    if series is None:
        raise not_found("Series")
    return series


@endpoint(
    bp,
    "/events/<int:event_id>/copy",
    "POST",
    roles=EDITORS,
    body=CopyIn,
    response=EventOut,
    status=201,
    summary="Copy the event as a new draft starting on another day, with its agenda, sites, "
    "languages, settings and team, and if asked its invitation list (new, unsent invitations)",
)
def copy_event(event_id: int, body: CopyIn) -> Event:
    event = copy_to_day(
        event_or_404(event_id),
        body.starts_on,
        with_invitations=body.with_invitations,
        actor=g.api_user,
    )
    db.session.commit()
    return event


@endpoint(
    bp,
    "/events/<int:event_id>/series",
    "GET",
    roles=EVENT_READERS,
    response=SeriesOut,
    summary="The series the event belongs to: its rule and its events",
)
def get_series(event_id: int) -> dict[str, Any]:
    return series_out(_series_or_404(event_id), g.api_user)


@endpoint(
    bp,
    "/events/<int:event_id>/series",
    "POST",
    roles=EDITORS,
    body=RuleIn,
    response=SeriesOut,
    status=201,
    extra_statuses=_CONFLICT,
    summary="Make a recurring series from the event: a draft copy on every later day the rule "
    f"gives (at most {MAX_OCCURRENCES} events)",
)
def create_series(event_id: int, body: RuleIn) -> dict[str, Any]:
    series, _copies = operations.create_series(
        event_or_404(event_id),
        body.rule(),
        actor=g.api_user,
        with_invitations=body.with_invitations,
    )
    db.session.commit()
    return series_out(series, g.api_user)


@endpoint(
    bp,
    "/events/<int:event_id>/series",
    "PUT",
    roles=EDITORS,
    body=ChangeIn,
    response=PlanOut,
    extra_statuses=_CONFLICT,
    summary="Change the series's rule for the events to come: drafts move, missing days get a "
    "draft, drafts left over are cancelled; published events stay. dry_run: only the plan",
)
def change_series(event_id: int, body: ChangeIn) -> dict[str, Any]:
    plan = operations.change_series(
        _series_or_404(event_id),
        body.rule(),
        actor=g.api_user,
        with_invitations=body.with_invitations,
        dry_run=body.dry_run,
    )
    _finish(body.dry_run)
    return plan_out(plan, body.dry_run)


@endpoint(
    bp,
    "/events/<int:event_id>/series/cancel",
    "POST",
    roles=EDITORS,
    body=CancelIn,
    response=PlanOut,
    extra_statuses=_CONFLICT,
    summary="Cancel every event of the series that has not started (invitees of published ones "
    "get the calendar cancellation). dry_run: only the list",
)
def cancel_series(event_id: int, body: CancelIn) -> dict[str, Any]:
    plan = operations.cancel_remaining(
        _series_or_404(event_id), actor=g.api_user, dry_run=body.dry_run
    )
    _finish(body.dry_run)
    return plan_out(plan, body.dry_run)


def _finish(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
