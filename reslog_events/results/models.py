"""The programme's targets for a period, and the pilot list the municipalities indicator counts
against. Both are kept by administrators (`operations.py`, audited)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.columns import UTCDateTime, utcnow
from ..directory.models import Organisation
from ..extensions import db


class ResultTarget(db.Model):
    """What the programme means to reach on one indicator over one period (dates of the
    events' start, both inclusive, as the reports count them)."""

    __tablename__ = "result_targets"
    __table_args__ = (
        sa.UniqueConstraint("indicator", "period_start", "period_end"),
        sa.CheckConstraint("period_end >= period_start", name="period_in_order"),
        sa.CheckConstraint("target >= 0", name="target_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the indicator's key in `indicators.INDICATORS` (e.g. `share_women`)
    indicator: Mapped[str] = mapped_column(sa.String(40))
    #: first and last day of the period (Türkiye time, as the reports' `from` and `to`)
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    #: in the indicator's unit: a count, a percentage (0–100) or a score (1–5)
    target: Mapped[float] = mapped_column(sa.Numeric(12, 2, asdecimal=False))
    #: the administrator who set it last (None: the command line, or a user since deleted)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PilotOrganisation(db.Model):
    """An organisation on the programme's pilot list (RESLOG's twelve pilot municipalities)."""

    __tablename__ = "result_pilot_organisations"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
