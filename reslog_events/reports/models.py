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
    __table_args__ = (sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),)

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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User | None] = relationship()
