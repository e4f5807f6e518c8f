"""What the door refused or let in by exception, for the events of a report's period: scans
refused as `wrong_day` (not one of the event's days) or `not_attending` (declined, waitlisted
or substituted; nothing recorded), and check-ins admitted anyway (`checkins.method =
'override'`, counted in the attendance as walk-ins). Counts of scans, per event: the same
person scanned twice on a wrong day is two refused scans.

The events are those of the report's scope (dates of the event's start, type, level, event,
the reader's union), cancelled ones aside; the organisation filters (union, country,
organisation) apply to the invitation the scan was for.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..checkin.models import CheckIn, ScanLog
from ..extensions import db
from ..invitations.models import Invitation
from .groupings import GROUPINGS, events
from .schemas import GroupBy
from .scope import CANCELLED, Scope, event_filters, organisation_filters

DOOR_COUNTS = ("wrong_day", "not_attending", "overrides")


def events_in_scope(scope: Scope) -> sa.Select:
    """The ids of the events in scope that count (not cancelled)."""
    stmt = sa.select(events.c.id).where(events.c.status != CANCELLED)
    return event_filters(stmt, scope, events.c.id, events)


def _by_organisation(stmt: sa.Select, invitation_id: Any, scope: Scope) -> sa.Select:
    if all(
        getattr(scope, name) is None
        for name in ("organisation_id", "union_id", "country", "organisation_kind")
    ):
        return stmt
    invitations = sa.select(Invitation.id).where(Invitation.id == invitation_id)
    invitations = organisation_filters(invitations, Invitation.organisation_id, scope)
    return stmt.where(sa.exists(invitations))


@lru_cache(maxsize=64)
def _statements(scope: Scope) -> tuple[sa.Select, sa.Select]:
    """The refused scans' and the overrides' statements per event, built once per scope (its
    values are all the scope's; bench/pages.py, the dashboard)."""
    in_scope = events_in_scope(scope)
    scans = (
        sa.select(
            ScanLog.event_id,
            sa.func.count().filter(ScanLog.result == "wrong_day"),
            sa.func.count().filter(ScanLog.result == "not_attending"),
        )
        .where(
            ScanLog.event_id.in_(in_scope),
            ScanLog.result.in_(
                [sa.literal_column("'wrong_day'"), sa.literal_column("'not_attending'")]
            ),
        )
        .group_by(ScanLog.event_id)
    )
    overrides = (
        sa.select(CheckIn.event_id, sa.func.count())
        .where(CheckIn.event_id.in_(in_scope), CheckIn.method == sa.literal_column("'override'"))
        .group_by(CheckIn.event_id)
    )
    return (
        _by_organisation(scans, ScanLog.invitation_id, scope),
        _by_organisation(overrides, CheckIn.invitation_id, scope),
    )


def refusals(scope: Scope) -> dict[str, Any]:
    """`{"rows": [{"key": event id, "label": title, "wrong_day", "not_attending",
    "overrides"}], "totals": {...}}`: events with any, by date."""
    scans, overrides = _statements(scope)
    counts: dict[int, dict[str, int]] = {}
    for event_id, wrong_day, not_attending in db.session.execute(scans):
        counts.setdefault(event_id, dict.fromkeys(DOOR_COUNTS, 0)).update(
            wrong_day=int(wrong_day), not_attending=int(not_attending)
        )
    for event_id, n in db.session.execute(overrides):
        counts.setdefault(event_id, dict.fromkeys(DOOR_COUNTS, 0))["overrides"] = int(n)
    # most periods have no refusals: no statement for no labels (bench/pages.py, the dashboard)
    labels = GROUPINGS[GroupBy.event].labels(list(counts)) if counts else {}
    rows = [
        {"key": key, "label": str(labels[key][0]), **values}
        for key, values in sorted(counts.items(), key=lambda item: labels[item[0]][1])
    ]
    totals = {name: sum(row[name] for row in rows) for name in DOOR_COUNTS}
    return {"rows": rows, "totals": totals}
