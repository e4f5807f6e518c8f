"""What the door wrote: the check-ins and the scan log, in the order written."""

from __future__ import annotations

import sqlalchemy as sa

from reslog_events.checkin.models import CheckIn, ScanLog
from reslog_events.extensions import db


def checkins(invitation_id=None) -> list[CheckIn]:
    stmt = sa.select(CheckIn).order_by(CheckIn.id)
    if invitation_id is not None:
        stmt = stmt.where(CheckIn.invitation_id == invitation_id)
    return list(db.session.scalars(stmt))


def logs() -> list[ScanLog]:
    return list(db.session.scalars(sa.select(ScanLog).order_by(ScanLog.id)))
