from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, enum_column, utcnow
from ..extensions import db


class LinkPurpose(StrEnum):
    #: a new user sets their first password
    invite = "invite"
    #: a user sets a new password after an administrator sent a reset
    reset = "reset"


#: how long a link works after it was sent: an invitation may wait for a busy week, a reset
#: should be used the same day
LINK_VALIDITY = {LinkPurpose.invite: timedelta(days=7), LinkPurpose.reset: timedelta(hours=24)}


class AccountLink(db.Model):
    """A one-time link that lets a user set their password. Only the token's SHA-256 is kept;
    the email carries the token (its outbox row a sealed copy)."""

    __tablename__ = "account_links"
    __table_args__ = (sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column(LinkPurpose))
    #: SHA-256 hex of the token in the link
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when the password was set with it (or a newer link replaced it); None: still usable
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the administrator who sent it
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and (now or utcnow()) < self.expires_at
