from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..extensions import db


class Role(LabelledEnum):
    admin = "admin"
    organiser = "organiser"
    staff = "staff"
    coordinator = "coordinator"


labels(
    {
        Role.admin: _l("Administrator"),
        Role.organiser: _l("Organiser"),
        Role.staff: _l("Door staff"),
        Role.coordinator: _l("Coordinator"),
    }
)


class User(UserMixin, db.Model):
    """Someone who logs in: organisers, door staff, coordinators, administrators."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login name, stored lower-case
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role))
    #: scrypt hash (werkzeug); empty when the user may only use API tokens
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    #: preferred interface language, or None for the browser's
    language: Mapped[str | None] = mapped_column(sa.String(2))
    #: the union whose events an organiser manages; None: every event (README, "Who may do what")
    union_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    #: secret of the user's private calendar feed (hash), None when not issued or revoked
    feed_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: raised by logout, a password change or deactivation: every session and remember-me
    #: cookie carries the version it was made with (`get_id`), and an older one opens nothing
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """Flask-Login's alternative id, in the session and the remember-me cookie."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Log this user out everywhere: every session and remember-me cookie made so far."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is kept, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: SHA-256 hex of the token
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: the first characters, so that people can tell their tokens apart
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")
