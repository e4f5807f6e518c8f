from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, utcnow
from ..extensions import db


class TeamMember(db.Model):
    """A user on one event's team: they work on that event as their role allows (a co-organiser
    edits it, door staff scan at it), whatever union they belong to."""

    __tablename__ = "event_team_members"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: indexed: every request of a union-scoped user asks which teams they are on
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: who put them on the team
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
