"""JSON API of events: `/api/v1/events`, `/api/v1/events/{id}`, `/api/v1/events/{id}/cancel`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g
from flask_babel import gettext as _

from ..auth.permissions import EDITORS, EVENT_READERS
from ..core.api import ApiError, Page, api_blueprint, endpoint, get_or_404, not_found, paginate
from ..extensions import db
from . import operations, queries
from .models import Event
from .schemas import EventIn, EventOut, EventPatch, EventQuery, HostOut, HostQuery

bp = api_blueprint("events_api", __name__)

_CONFLICT = {409: "The event's state does not allow this (cancelled, already published)"}


def _write(action: Callable[[], Any]) -> Any:
    """Run a write and commit it (its refusals are domain errors, answered by @endpoint)."""
    result = action()
    db.session.commit()
    return result


def _locked(event_id: int) -> Event:
    event = operations.lock_event(event_id)
    if event is None:
        raise not_found("Event")
    return event


@endpoint(
    bp,
    "/events",
    "POST",
    roles=EDITORS,
    body=EventIn,
    response=EventOut,
    status=201,
    summary="Create an event (the caller organises it); draft unless status is published",
)
def create_event(body: EventIn) -> Event:
    return _write(lambda: operations.create_event(body, g.api_user))


@endpoint(
    bp,
    "/events",
    "GET",
    roles=EVENT_READERS,
    query=EventQuery,
    response=EventOut,
    many=True,
    summary="List events, filtered by status, kind, level, start dates (from, to) and words (q)",
)
def list_events(query: EventQuery) -> Page:
    if query.from_ and query.to and query.from_ > query.to:
        raise ApiError(
            422, "validation_error", _("The query is not valid."), {"to": _("Before from.")}
        )
    return paginate(queries.events_statement(query, g.api_user), query)


@endpoint(
    bp,
    "/events/hosts",
    "GET",
    roles=EDITORS,
    query=HostQuery,
    response=HostOut,
    many=True,
    summary="Organisations the caller may name as an event's host (host_organisation_id), "
    "by name or code (q): any confirmed organisation; a union's own and its members' for a "
    "union-scoped organiser",
)
def list_hosts(query: HostQuery) -> Page:
    return paginate(queries.hosts_statement(g.api_user, query.q), query)


@endpoint(
    bp,
    "/events/<int:event_id>",
    "GET",
    roles=EVENT_READERS,
    response=EventOut,
    summary="One event",
)
def get_event(event_id: int) -> Event:
    return get_or_404(Event, event_id, "Event")


@endpoint(
    bp,
    "/events/<int:event_id>",
    "PATCH",
    roles=EDITORS,
    body=EventPatch,
    response=EventOut,
    extra_statuses=_CONFLICT,
    summary="Change an event; status published publishes it. A published event's new time or "
    "place raises its sequence and notifies the invitees who have not declined, at once: there "
    "is no notify flag (the event form asks its user first; an API client asks its own)",
)
def update_event(event_id: int, body: EventPatch) -> Event:
    event = _locked(event_id)
    _write(lambda: operations.update_event(event, body.changes(), g.api_user))
    return event


@endpoint(
    bp,
    "/events/<int:event_id>/cancel",
    "POST",
    roles=EDITORS,
    response=EventOut,
    extra_statuses={409: "Already cancelled (invitees are notified once)"},
    summary="Cancel an event; the invitees who have not declined get a calendar cancellation",
)
def cancel_event(event_id: int) -> Event:
    event = _locked(event_id)
    _write(lambda: operations.cancel_event(event))
    return event
