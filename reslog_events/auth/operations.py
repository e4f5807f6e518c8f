"""Users and API tokens."""

from __future__ import annotations

import secrets
import time

import sqlalchemy as sa
from sqlalchemy.orm import Session, make_transient_to_detached
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.operations import record
from ..core.columns import utcnow
from ..core.tokens import digest, new_api_token
from ..core.turkish import email_lower
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
    email = email_lower(email)
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


#: How long a process trusts an API token it has verified (seconds): a token revoked, or a user
#: deactivated or given another role, by another process (or by SQL) is refused by every process
#: within this bound; in the process that made the change (through the ORM), at once.
TOKEN_TRUST_SECONDS = 5.0

#: token hash -> (monotonic time until which it is trusted, detached copy of its user)
_trusted: dict[str, tuple[float, User]] = {}

# One entity and two columns, built once (compiled once per dialect by SQLAlchemy's cache).
_TOKEN_USER = (
    sa.select(User, ApiToken.id, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == sa.bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)
_tokens = ApiToken.__table__
_TOUCH = (
    sa.update(_tokens)
    .where(_tokens.c.id == sa.bindparam("token_id"))
    .values(last_used_at=sa.bindparam("now"))
)
_USER_COLUMNS = tuple(attr.key for attr in sa.inspect(User).column_attrs)


def _detached_copy(user: User) -> User:
    copy = User(**{key: getattr(user, key) for key in _USER_COLUMNS})
    make_transient_to_detached(copy)
    return copy


def user_for_token(token: str, *, attach: bool = True) -> User | None:
    """The active user of an unrevoked API token, or None.

    A verified token is trusted for TOKEN_TRUST_SECONDS by this process: the user is then
    merged into the session from a copy (no query), or with attach=False that copy itself
    (read-only, shared between threads: for callers that read its columns only).
    `last_used_at` is written at most once a minute (a scanner posting 10 scans/s should not
    write 10 rows/s), on verification."""
    token_hash = digest(token)
    trusted = _trusted.get(token_hash)
    if trusted is not None and trusted[0] > time.monotonic():
        return db.session.merge(trusted[1], load=False) if attach else trusted[1]
    row = db.session.execute(_TOKEN_USER, {"token_hash": token_hash}).first()
    if row is None or not row[0].active:
        _trusted.pop(token_hash, None)
        return None
    user, token_id, last_used_at = row
    now = utcnow()
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        # in a transaction of its own: kept whatever the request does (a GET never commits)
        with db.engine.begin() as conn:
            conn.execute(_TOUCH, {"token_id": token_id, "now": now})
    _trusted[token_hash] = (time.monotonic() + TOKEN_TRUST_SECONDS, _detached_copy(user))
    return user


def forget_on_change(session: Session, context: object) -> None:
    """A user or token changed in this process: trust no verified token any more."""
    if _trusted and any(
        isinstance(obj, User | ApiToken) for obj in (*session.dirty, *session.deleted)
    ):
        _trusted.clear()


_dummy_hash: list[str] = []


def _dummy_password_hash() -> str:
    """A scrypt hash of a random password, made once per process: checked against when there is
    no account (or no password), so that a failed login costs the same for any email."""
    if not _dummy_hash:
        _dummy_hash.append(generate_password_hash(secrets.token_hex(16), method="scrypt"))
    return _dummy_hash[0]


def authenticate_password(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Every attempt checks one scrypt
    hash, a real one or a dummy: the answer's time does not tell whether the account exists."""
    user = db.session.scalar(sa.select(User).where(User.email == email_lower(email)))
    stored = user.password_hash if user is not None and user.password_hash else ""
    matches = check_password_hash(stored or _dummy_password_hash(), password)
    if user is None or not stored or not matches or not user.active:
        return None
    user.last_login_at = utcnow()
    return user
