from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, utcnow
from ..extensions import db


class AuditLog(db.Model):
    """Who did what to which record, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: the user, None for invitees (by their link), the system and the command line
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: "user", "invitee", "system" or "cli"
    actor: Mapped[str] = mapped_column(sa.String(20), default="user")
    #: dotted verb, e.g. "event.publish", "invitation.revoke"
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int | None] = mapped_column()
    #: what changed, without secrets
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()
