from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, utcnow
from ..extensions import db


class ReportRun(db.Model):
    """An attendance report compiled by a worker: parameters, progress, result and XLSX."""

    __tablename__ = "report_runs"
    __table_args__ = (
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
        # the monthly summary goes to each coordinator once per month
        sa.Index("ix_report_runs_requested_by_period", "requested_by_id", "period", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: the query: group_by and filters as the API takes them
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: queued, running, done, failed
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    progress: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    xlsx: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    error: Mapped[str | None] = mapped_column(sa.String(1000))
    #: the scheduled monthly summary rather than a user's request
    scheduled: Mapped[bool] = mapped_column(default=False)
    #: for the monthly summary: the month it covers ("2025-03"); None for requested runs
    period: Mapped[str | None] = mapped_column(sa.String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User | None] = relationship()


#: the partial index's condition: attended, not revoked, event not cancelled
ATTENDED_PREDICATE = "days > 0 AND status <> 'revoked' AND event_status <> 'cancelled'"


class AttendanceFact(db.Model):
    """One narrow row per invitation with its check-in days and its event's dates, status,
    type and level: what the attendance report reads, without a join.

    Kept current by database triggers on `invitations`, `checkins` and `events` (migration
    0005), inside the writer's own transaction, so the report is exact the moment a check-in or
    a cancellation commits. The invitations table is wide (tokens, needs, consent) and
    check-ins would have to be grouped per invitation on every report; this table holds only
    what the counts need. `reports.operations.rebuild_attendance_facts` recomputes it.
    """

    __tablename__ = "attendance_facts"
    __table_args__ = (
        sa.Index("ix_attendance_facts_event_id", "event_id"),
        sa.Index("ix_attendance_facts_organisation_id", "organisation_id"),
        # who attended, in (organisation, contact) order, with what the filters need: the
        # distinct-participants pass reads this partial index alone (index-only)
        sa.Index(
            "ix_attendance_facts_attended",
            "organisation_id",
            "contact_id",
            "starts_at",
            "kind",
            "level",
            "event_id",
            postgresql_where=sa.text(ATTENDED_PREDICATE),
            sqlite_where=sa.text(ATTENDED_PREDICATE),
        ),
        # the same, just the pairs: the unfiltered report reads half as many pages
        sa.Index(
            "ix_attendance_facts_people",
            "organisation_id",
            "contact_id",
            postgresql_where=sa.text(ATTENDED_PREDICATE),
            sqlite_where=sa.text(ATTENDED_PREDICATE),
        ),
        # accepted invitations of events that have not ended: not (yet) no-shows
        sa.Index("ix_attendance_facts_ends_at", "ends_at"),
    )

    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    event_id: Mapped[int] = mapped_column()
    #: Invitation.organisation_id: the organisation the contact had when invited
    organisation_id: Mapped[int | None] = mapped_column()
    contact_id: Mapped[int] = mapped_column()
    #: Invitation.status
    status: Mapped[str] = mapped_column(sa.String(32))
    is_walk_in: Mapped[bool] = mapped_column(default=False)
    #: number of check-in rows (event days attended)
    days: Mapped[int] = mapped_column(default=0)
    # the event's, copied (and kept) by the triggers
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    event_status: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(32))
    level: Mapped[str] = mapped_column(sa.String(32))


class AttendanceRollup(db.Model):
    """The additive counts per organisation (when invited) and month of the event's start
    (report zone), over invitations not revoked of events not cancelled. Kept by a trigger on
    `attendance_facts`; the per-organisation report over whole months (the dashboard's default,
    the monthly summary) sums these rows instead of a million facts.

    `accepted_absent` counts accepted invitations without a check-in (walk-ins aside): the
    no-shows, once the events in question have ended; the report subtracts those whose events
    have not ended yet (a handful, found by `ix_attendance_facts_ends_at`).
    """

    __tablename__ = "attendance_rollup"

    #: Invitation.organisation_id, or 0 for invitations without an organisation
    organisation_key: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: "YYYY-MM" of the event's start in Europe/Istanbul (UTC+03:00)
    month: Mapped[str] = mapped_column(sa.String(7), primary_key=True)
    invited: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[int] = mapped_column(default=0)
    declined: Mapped[int] = mapped_column(default=0)
    tentative: Mapped[int] = mapped_column(default=0)
    no_response: Mapped[int] = mapped_column(default=0)
    waitlisted: Mapped[int] = mapped_column(default=0)
    attended: Mapped[int] = mapped_column(default=0)
    walk_ins: Mapped[int] = mapped_column(default=0)
    accepted_absent: Mapped[int] = mapped_column(default=0)
    attendance_days: Mapped[int] = mapped_column(default=0)


class AttendancePresence(db.Model):
    """Who attended in which month: one row per month (of the event's start, report zone),
    contact and organisation (when invited) with at least one attended invitation (not
    revoked, event not cancelled), and how many. Kept by a trigger on `attendance_facts`
    (migration 0007), which deletes a row when its count reaches zero.

    The per-month trend's distinct participants read it in primary-key order: the distinct
    (month, contact) pairs stream out of the index, where the facts would need 500,000
    attended rows hashed.
    """

    __tablename__ = "attendance_presence"

    #: "YYYY-MM" of the event's start in Europe/Istanbul (UTC+03:00)
    month: Mapped[str] = mapped_column(sa.String(7), primary_key=True)
    contact_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: Invitation.organisation_id, or 0 for invitations without an organisation
    organisation_key: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: attended invitations of this contact in this month under this organisation
    attended: Mapped[int] = mapped_column(default=0)
