"""What administration reads: users (scoped to a union's administrator), tokens, unions."""

from __future__ import annotations

import sqlalchemy as sa

from ..auth.models import ApiToken, User
from ..directory.models import Organisation, OrganisationKind
from ..extensions import db


def users_for(admin: User | None) -> sa.Select:
    """The users `admin` administers, by email; a union's administrator sees their union's."""
    stmt = sa.select(User).order_by(User.email)
    if admin is not None and admin.union_id is not None:
        stmt = stmt.where(User.union_id == admin.union_id)
    return stmt


def unions() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.union)
            .order_by(Organisation.code, Organisation.name)
        )
    )


def union_codes() -> dict[int, str]:
    return {org.id: org.code or org.name for org in unions()}


def tokens_of(user_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )
