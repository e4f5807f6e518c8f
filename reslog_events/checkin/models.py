from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, utcnow
from ..extensions import db
from ..invitations.models import Invitation

#: scans refused without recording anything that the reports count (the door's results)
REFUSED_PREDICATE = "result IN ('wrong_day', 'not_attending')"


class CheckIn(db.Model):
    """An invitee admitted at the door: once per invitation per event day (event's time zone)."""

    __tablename__ = "checkins"
    __table_args__ = (
        sa.UniqueConstraint("invitation_id", "day"),
        sa.Index("ix_checkins_event_day", "event_id", "day"),
        # the reports' count of overrides per event (migration 0010): a handful of rows
        sa.Index(
            "ix_checkins_overrides",
            "event_id",
            postgresql_where=sa.text("method = 'override'"),
            sqlite_where=sa.text("method = 'override'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id", ondelete="CASCADE"))
    #: the event-local date of the check-in
    day: Mapped[date] = mapped_column(sa.Date)
    #: when the scan happened (the scanner's clock for queued offline scans)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gate: Mapped[str] = mapped_column(sa.String(40), default="")
    #: manual (search), scan, or walk-in
    method: Mapped[str] = mapped_column(sa.String(10), default="scan")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()
    user: Mapped[User | None] = relationship()


class ScanLog(db.Model):
    """Every scan the door staff made, accepted or refused; the nonce makes replays idempotent."""

    __tablename__ = "scan_log"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "nonce"),
        sa.Index("ix_scan_log_event_received", "event_id", "received_at"),
        # the reports' refused scans per event (migration 0010), without reading every scan
        sa.Index(
            "ix_scan_log_refused",
            "event_id",
            "result",
            postgresql_where=sa.text(REFUSED_PREDICATE),
            sqlite_where=sa.text(REFUSED_PREDICATE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(sa.String(100))
    #: what was scanned, shortened (a valid code is a secret: only its first characters)
    scanned: Mapped[str] = mapped_column(sa.String(60))
    gate: Mapped[str] = mapped_column(sa.String(40), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="SET NULL")
    )
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    result: Mapped[str] = mapped_column(sa.String(32))
    #: the HTTP status and body given, replayed for the same nonce
    status_code: Mapped[int] = mapped_column()
    response: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()
