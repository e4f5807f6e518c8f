"""A recurring series of events (a monthly roundtable): the rule its occurrences follow."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..extensions import db


class Frequency(LabelledEnum):
    #: every `interval` weeks, on the first event's weekday
    weekly = "weekly"
    #: every `interval` months, on the `week_of_month`-th `weekday` (e.g. the 2nd Tuesday)
    monthly = "monthly"


labels(
    {
        Frequency.weekly: _l("Every few weeks"),
        Frequency.monthly: _l("Every month on a given weekday"),
    }
)


class EventSeries(db.Model):
    """The rule of a recurring series and who made it. Its occurrences are events whose
    `series_id` names it: the event it was made from (the first), and drafts copied from that
    one, each edited on its own afterwards."""

    __tablename__ = "event_series"
    __table_args__ = (
        sa.CheckConstraint("interval BETWEEN 1 AND 52", name="interval_range"),
        sa.CheckConstraint(
            "week_of_month IS NULL OR week_of_month BETWEEN -1 AND 4 AND week_of_month != 0",
            name="week_of_month_range",
        ),
        sa.CheckConstraint("weekday IS NULL OR weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("occurrences IS NULL OR occurrences >= 1", name="occurrences_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency))
    #: weeks (weekly) or months (monthly) between two occurrences
    interval: Mapped[int] = mapped_column(default=1)
    #: monthly: which week of the month, 1 to 4, or -1 for the last
    week_of_month: Mapped[int | None] = mapped_column()
    #: monthly: Monday 0 … Sunday 6
    weekday: Mapped[int | None] = mapped_column()
    #: the last day an occurrence may fall on (in the events' zone), if the rule ends by date
    until: Mapped[date | None] = mapped_column(sa.Date)
    #: how many occurrences in all, the first event included, if the rule ends by count
    occurrences: Mapped[int | None] = mapped_column()
    #: the first occurrence's day (in the events' zone): the rule counts from it
    first_day: Mapped[date] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: when the remaining occurrences were cancelled (the series ends there)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<EventSeries {self.id} {self.frequency.value}/{self.interval}>"
