"""The writes of administration. Each takes the acting administrator explicitly (`by`: None for
the command line), checks what that administrator may do, flushes and writes an audit row."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import ApiToken, Role, User
from ..core.columns import utcnow
from ..core.tokens import digest, seal
from ..core.turkish import email_lower
from ..directory.models import Organisation, OrganisationKind
from ..extensions import db
from ..mail.outbox import queue_email
from .models import LINK_VALIDITY, AccountLink, LinkPurpose

#: the outbox kind of each link's email
LINK_EMAIL = {LinkPurpose.invite: "account_invite", LinkPurpose.reset: "password_reset"}


class AdminError(ValueError):
    """An administrator asked for something not allowed; the message is for people."""

    def __init__(self, message: str, status: int = 422, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        #: the form field the message is about, if any
        self.field = field


def _audit(action: str, obj, data: dict | None, by: User | None) -> None:
    if by is None:
        record(action, obj, data, actor="cli")
    else:
        record(action, obj, data, actor="user", user_id=by.id)


def manages(by: User | None, user: User) -> bool:
    """May `by` administer `user`? The command line and programme-wide administrators may
    administer everyone; a union's administrator only the users of that union."""
    if by is None or by.union_id is None:
        return True
    return user.union_id == by.union_id


def _check_manages(by: User | None, user: User) -> None:
    if not manages(by, user):
        raise AdminError(_("User not found."), 404)


def _check_not_self(by: User | None, user: User) -> None:
    if by is not None and by.id == user.id:
        raise AdminError(_("You cannot change your own account here; ask another administrator."))


def _checked_union(by: User | None, union_id: int | None) -> int | None:
    if union_id is not None:
        union = db.session.get(Organisation, union_id)
        if union is None or union.kind != OrganisationKind.union:
            raise AdminError(_("Choose one of the unions."), field="union_id")
    if by is not None and by.union_id is not None and union_id != by.union_id:
        raise AdminError(_("You may give users your own union only."), field="union_id")
    return union_id


def deactivate_user(user: User, *, by: User | None) -> bool:
    """Deactivate: every session, remember-me cookie and API token stops working (tokens within
    TOKEN_TRUST_SECONDS in other processes). False if the user was inactive already."""
    _check_manages(by, user)
    _check_not_self(by, user)
    if not user.active:
        return False
    user.active = False
    user.end_sessions()
    db.session.flush()
    _audit("user.deactivate", user, {}, by)
    return True


def reactivate_user(user: User, *, by: User | None) -> bool:
    _check_manages(by, user)
    if user.active:
        return False
    user.active = True
    db.session.flush()
    _audit("user.reactivate", user, {}, by)
    return True


def set_role(user: User, role: Role, union_id: int | None, *, by: User | None) -> bool:
    """Give `user` another role and union; their sessions end (what they may do changed)."""
    _check_manages(by, user)
    _check_not_self(by, user)
    union_id = _checked_union(by, union_id)
    if user.role == role and user.union_id == union_id:
        return False
    data = {"role": [user.role.value, role.value], "union_id": [user.union_id, union_id]}
    user.role = role
    user.union_id = union_id
    user.end_sessions()
    db.session.flush()
    _audit("user.set_role", user, data, by)
    return True


def revoke_token(token: ApiToken, *, by: User | None) -> bool:
    """Revoke an API token (their own, or as an administrator of its user)."""
    if by is not None and token.user_id != by.id:
        if by.role != Role.admin:
            raise AdminError(_("Token not found."), 404)
        _check_manages(by, token.user)
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    _audit("token.revoke", token, {"prefix": token.prefix, "user_id": token.user_id}, by)
    return True


def _issue_link(user: User, purpose: LinkPurpose, by: User | None) -> str:
    """A new one-time link for `user`, emailed through the outbox; earlier unused links of
    the user stop working (only the newest email's link sets a password)."""
    now = utcnow()
    db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    link = AccountLink(
        user_id=user.id,
        purpose=purpose,
        token_hash=digest(token),
        created_at=now,
        expires_at=now + LINK_VALIDITY[purpose],
        created_by_id=by.id if by is not None else None,
    )
    db.session.add(link)
    db.session.flush()
    # the email needs the token once more: sealed, so that the outbox row reveals nothing
    queue_email(
        LINK_EMAIL[purpose],
        user=user,
        language=user.language or current_app.config["DEFAULT_LANGUAGE"],
        payload={"link_id": link.id, "token": seal(token)},
    )
    return token


def invite_user(
    email: str,
    role: Role,
    *,
    name: str = "",
    union_id: int | None = None,
    language: str | None = None,
    by: User | None,
) -> tuple[User, str]:
    """Create a user without a password and email them a link to set one."""
    union_id = _checked_union(by, union_id)
    email = email_lower(email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise AdminError(_("A user with this email exists already."), field="email")
    user = User(
        email=email,
        name=name.strip() or email.split("@")[0],
        role=role,
        union_id=union_id,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    _audit("user.invite", user, {"role": role.value, "union_id": union_id}, by)
    return user, _issue_link(user, LinkPurpose.invite, by)


def send_password_reset(user: User, *, by: User | None) -> str:
    _check_manages(by, user)
    if not user.active:
        raise AdminError(_("Reactivate the user first."))
    # someone invited who never chose a password gets the invitation again (7 days, its words)
    purpose = LinkPurpose.reset if user.password_hash else LinkPurpose.invite
    token = _issue_link(user, purpose, by)
    _audit("user.password_reset", user, {"link": purpose.value}, by)
    return token


def link_for_token(token: str) -> AccountLink | None:
    """The usable link with this token (unused, not expired, its user active), or None."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(sa.select(AccountLink).where(AccountLink.token_hash == digest(token)))
    if link is None or not link.usable() or not link.user.active:
        return None
    return link


def set_password_with_link(link: AccountLink, password: str) -> User:
    """Set the password and use the link up; sessions made before end."""
    user = link.user
    now = utcnow()
    link.used_at = now
    user.set_password(password)
    user.end_sessions()
    db.session.flush()
    record("user.password_set", user, {"via": link.purpose.value}, actor="user", user_id=user.id)
    return user


def change_password(user: User, current: str, new: str) -> bool:
    """The user's own change; False if `current` is wrong. Every session ends (the caller
    logs this browser in again)."""
    if not user.check_password(current):
        return False
    user.set_password(new)
    user.end_sessions()
    db.session.flush()
    record("user.password_change", user, {}, actor="user", user_id=user.id)
    return True
