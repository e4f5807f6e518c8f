"""Users and API tokens."""

from __future__ import annotations

import sqlalchemy as sa

from ..audit.operations import record
from ..core.columns import utcnow
from ..core.tokens import digest, new_api_token
from ..extensions import db
from .models import ApiToken, Role, User


class UserError(ValueError):
    pass


def create_user(
    email: str,
    role: Role,
    *,
    name: str = "",
    password: str | None = None,
    language: str | None = None,
) -> User:
    email = email.strip().lower()
    if "@" not in email:
        raise UserError(f"Not an email address: {email!r}")
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise UserError(f"A user with the email {email} exists already.")
    user = User(email=email, role=role, name=name or email.split("@")[0], language=language)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user.create", user, {"email": email, "role": role.value}, actor="cli")
    return user


def create_token(user: User, name: str = "") -> str:
    """Create an API token and return it; only its hash is stored, so it is shown once."""
    token = new_api_token()
    db.session.add(ApiToken(user=user, name=name, token_hash=digest(token), prefix=token[:10]))
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.execute(
        sa.select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.active:
        return None
    api_token = row.ApiToken
    now = utcnow()
    # Touch at most once a minute: a scanner posting 10 scans/s should not write 10 rows/s.
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        api_token.last_used_at = now
    return row.User


def authenticate_password(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user
