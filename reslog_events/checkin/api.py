"""The check-in API: scans, manual check-ins, walk-ins, undo, search, counters, the offline
list and the check-in log. Door staff, organisers and administrators; not coordinators."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, g, jsonify

from ..auth.permissions import DOOR
from ..core.api import Page, api_blueprint, endpoint, not_found
from ..core.paging import paginate_rows
from ..events.visibility import event_or_404
from . import operations, queries
from .admission import DoorEvent
from .models import CheckIn
from .schemas import (
    CheckInListQuery,
    CheckInOut,
    ExpectedOut,
    ManualCheckInIn,
    ScanIn,
    ScanLogOut,
    ScanLogQuery,
    ScanOut,
    SearchOut,
    SearchQuery,
    StatsOut,
    UndoOut,
    WalkInIn,
)

bp = api_blueprint("checkin_api", __name__)

#: view arguments naming a row of one event, checked like an event id (registered by init_app)
EVENT_KEYS = {"checkin_id": lambda i: sa.select(CheckIn.event_id).where(CheckIn.id == i)}

REFUSALS = {
    404: "invalid: unknown code (or unknown event)",
    409: "already_checked_in, wrong_event, revoked, event_cancelled, not_attending or "
    "wrong_day (see `result`)",
}
#: manual check-ins and walk-ins
DOOR_REFUSALS = {
    409: "already_checked_in, revoked, event_cancelled, not_attending or wrong_day (see `result`)"
}


def _door_event(event_id: int) -> DoorEvent:
    event = DoorEvent.load(event_id)
    if event is None:
        raise not_found("Event")
    return event


def _respond(answer: operations.Answer) -> Response:
    resp = jsonify(answer.body)
    resp.status_code = answer.status
    return resp


@endpoint(
    bp,
    "/events/<int:event_id>/checkins",
    "POST",
    roles=DOOR,
    body=ScanIn,
    response=ScanOut,
    status=201,
    summary="Check in a scanned code (idempotent by nonce; result ok, already_checked_in, "
    "invalid, wrong_event, revoked, event_cancelled, not_attending or wrong_day; "
    "override admits a not_attending person)",
    extra_statuses=REFUSALS,
    user_in_session=False,  # the scan uses the caller's id only
)
def scan(event_id: int, body: ScanIn) -> Response:
    return _respond(operations.scan(event_id, body, g.api_user))


@endpoint(
    bp,
    "/events/<int:event_id>/checkins/manual",
    "POST",
    roles=DOOR,
    body=ManualCheckInIn,
    response=ScanOut,
    status=201,
    summary="Check in an invitee found by search (idempotent by nonce)",
    extra_statuses=DOOR_REFUSALS,
)
def manual_check_in(event_id: int, body: ManualCheckInIn) -> Response:
    return _respond(operations.manual_check_in(_door_event(event_id), body, g.api_user))


@endpoint(
    bp,
    "/events/<int:event_id>/walk-ins",
    "POST",
    roles=DOOR,
    body=WalkInIn,
    response=ScanOut,
    status=201,
    summary="Register a walk-in: contact (existing or new) + invitation + check-in in one step",
    extra_statuses=DOOR_REFUSALS,
)
def walk_in(event_id: int, body: WalkInIn) -> Response:
    return _respond(operations.register_walk_in(event_or_404(event_id), body, g.api_user))


@endpoint(
    bp,
    "/events/<int:event_id>/checkins",
    "GET",
    roles=DOOR,
    query=CheckInListQuery,
    response=CheckInOut,
    many=True,
    summary="Check-ins of the event, newest first (filters: day, gate)",
)
def list_checkins(event_id: int, query: CheckInListQuery) -> Page:
    stmt = queries.checkins_stmt(event_or_404(event_id), query.day, query.gate)
    return paginate_rows(stmt, query, queries.checkin_row)


@endpoint(
    bp,
    "/events/<int:event_id>/checkins/<int:checkin_id>",
    "DELETE",
    roles=DOOR,
    response=UndoOut,
    summary="Undo a mistaken check-in (audited; a walk-in's invitation is revoked too)",
)
def undo(event_id: int, checkin_id: int) -> dict[str, Any]:
    return operations.undo_check_in(event_or_404(event_id), checkin_id, g.api_user)


@endpoint(
    bp,
    "/events/<int:event_id>/checkins/search",
    "GET",
    roles=DOOR,
    query=SearchQuery,
    response=SearchOut,
    summary="Find the event's invitees by name or organisation (Turkish-aware; never by "
    "e-mail, never other contacts)",
)
def search(event_id: int, query: SearchQuery) -> dict[str, Any]:
    items = queries.search(event_or_404(event_id), query.q, query.limit)
    return {"items": items, "total": len(items)}


@endpoint(
    bp,
    "/events/<int:event_id>/checkins/stats",
    "GET",
    roles=DOOR,
    response=StatsOut,
    summary="Live counters: checked in today, expected, walk-ins, per gate",
)
def stats(event_id: int) -> dict[str, Any]:
    return queries.stats(event_or_404(event_id))


@endpoint(
    bp,
    "/events/<int:event_id>/checkins/expected",
    "GET",
    roles=DOOR,
    response=ExpectedOut,
    summary="The offline list: every invitation with the SHA-256 of its code (never the code) "
    "and today's check-in",
)
def expected(event_id: int) -> Response:
    resp = jsonify(
        ExpectedOut.model_validate(queries.expected(event_or_404(event_id))).model_dump(mode="json")
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


@endpoint(
    bp,
    "/events/<int:event_id>/scans",
    "GET",
    roles=DOOR,
    query=ScanLogQuery,
    response=ScanLogOut,
    many=True,
    summary="The check-in log: every scan, accepted or refused, newest first",
)
def scan_log(event_id: int, query: ScanLogQuery) -> Page:
    stmt = queries.log_stmt(event_or_404(event_id), query.result, query.gate)
    return paginate_rows(stmt, query, queries.log_row)
