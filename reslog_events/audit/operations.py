"""Recording who did what. Call inside the transaction of the change itself."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context

from ..extensions import db
from .models import AuditLog


def _current_user_id() -> int | None:
    if not has_request_context():
        return None
    user = g.get("api_user")
    if user is not None:
        return user.id
    from flask_login import current_user

    return current_user.id if current_user and current_user.is_authenticated else None


def record(
    action: str,
    obj: Any,
    data: dict[str, Any] | None = None,
    *,
    actor: str | None = None,
    user_id: int | None = None,
) -> AuditLog:
    """Add an audit entry for `obj` (a model instance, flushed so it has an id)."""
    if getattr(obj, "id", None) is None:
        db.session.flush()
    uid = user_id if user_id is not None else _current_user_id()
    entry = AuditLog(
        user_id=uid,
        actor=actor or ("user" if uid else "system"),
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        data=data or {},
    )
    db.session.add(entry)
    return entry


def record_many(
    action: str,
    object_type: str,
    ids: list[int],
    data: dict[str, Any] | None = None,
    *,
    actor: str | None = None,
) -> int:
    """One audit entry per id in a single bulk insert (imports of thousands of rows), by the
    current user; `object_type` as `record` names it (the model's lower-cased class name)."""
    if not ids:
        return 0
    uid = _current_user_id()
    who = actor or ("user" if uid else "system")
    db.session.execute(
        sa.insert(AuditLog),
        [
            {
                "user_id": uid,
                "actor": who,
                "action": action,
                "object_type": object_type,
                "object_id": ident,
                "data": data or {},
            }
            for ident in ids
        ],
    )
    return len(ids)
