"""The users API: `GET /api/v1/users` (administrators)."""

from __future__ import annotations

from flask import g

from ..auth.models import User
from ..auth.permissions import ADMINS
from ..core.api import Page, api_blueprint, endpoint, paginate
from .queries import union_codes, users_for
from .schemas import UserOut, UserQuery

bp = api_blueprint("users_api", __name__)


@endpoint(
    bp,
    "/users",
    roles=ADMINS,
    query=UserQuery,
    response=UserOut,
    many=True,
    summary="List users (a union's administrator: their union's users)",
)
def list_users(query: UserQuery) -> Page:
    codes = union_codes()
    stmt = users_for(g.api_user)
    if query.role is not None:
        stmt = stmt.where(User.role == query.role)
    if query.active is not None:
        stmt = stmt.where(User.active.is_(query.active))
    if query.union is not None:
        if query.union.lower() == "none":
            stmt = stmt.where(User.union_id.is_(None))
        else:
            wanted = [ident for ident, code in codes.items() if code.upper() == query.union.upper()]
            stmt = stmt.where(User.union_id.in_(wanted))
    page = paginate(stmt, query)
    items = [
        UserOut(
            id=user.id,
            email=user.email,
            name=user.name,
            role=user.role,
            union=codes.get(user.union_id) if user.union_id else None,
            active=user.active,
        )
        for user in page.items
    ]
    return Page(items=items, total=page.total)
