"""Reading the audit log: filters by user, action, event, contact and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..auth.models import User
from ..extensions import db
from ..privacy.redaction import PERSONAL_KEYS as PRIVACY_PERSONAL_KEYS
from .models import AuditLog

#: keys of an entry's data that hold a person's name, address or words: shown as hidden (the
#: page says who did what to which record; the record itself shows the person to those allowed)
PERSONAL_KEYS = PRIVACY_PERSONAL_KEYS | {
    "to",
    "address",
    "host_name",
    "reference",
    "substitute_name",
    "substitute_email",
}
HIDDEN = "…"


@dataclass
class AuditFilters:
    user_id: int | None = None
    action: str | None = None
    event_id: int | None = None
    contact_id: int | None = None
    since: date | None = None
    until: date | None = None


def _records_of(column: str, ident: int) -> list[sa.ColumnElement[bool]]:
    """Audit rows about the record `ident` of events/contacts (`column` "event_id" or
    "contact_id"): the record itself and every model row that refers to it by that column
    (invitations, sessions, sites…), found from the mapped models so new ones count too."""
    own = "event" if column == "event_id" else "contact"
    clauses = [sa.and_(AuditLog.object_type == own, AuditLog.object_id == ident)]
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        # audit rows name integer ids: a table keyed otherwise (the anonymous feedback
        # answers' UUIDs) is never audited
        if column in table.c and "id" in table.c and _integer_key(table.c.id):
            inner = sa.select(table.c.id).where(table.c[column] == ident)
            clauses.append(
                sa.and_(
                    AuditLog.object_type == mapper.class_.__name__.lower(),
                    AuditLog.object_id.in_(inner),
                )
            )
    return clauses


def _integer_key(column: sa.Column) -> bool:
    return isinstance(column.type, sa.Integer)


def _day_start(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone))


def audit_entries(filters: AuditFilters, admin: User, zone: str) -> sa.Select:
    """The entries matching `filters`, newest first; a union's administrator sees what their
    union's users did."""
    stmt = sa.select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    if admin.union_id is not None:
        members = sa.select(User.id).where(User.union_id == admin.union_id)
        stmt = stmt.where(AuditLog.user_id.in_(members))
    if filters.user_id is not None:
        stmt = stmt.where(AuditLog.user_id == filters.user_id)
    if filters.action:
        stmt = stmt.where(AuditLog.action == filters.action)
    if filters.event_id is not None:
        stmt = stmt.where(sa.or_(*_records_of("event_id", filters.event_id)))
    if filters.contact_id is not None:
        stmt = stmt.where(sa.or_(*_records_of("contact_id", filters.contact_id)))
    if filters.since is not None:
        stmt = stmt.where(AuditLog.created_at >= _day_start(filters.since, zone))
    if filters.until is not None:
        end = _day_start(filters.until + timedelta(days=1), zone)
        stmt = stmt.where(AuditLog.created_at < end)
    return stmt


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditLog.action).distinct().order_by(AuditLog.action)))


def _personal(key: str) -> bool:
    return key in PERSONAL_KEYS or key.endswith(("_name", "_email", "_phone", "_notes"))


def _hide_personal(value: Any) -> Any:
    """`value` with every personal item hidden, at any depth ({"changes": {"contact_phone":
    [old, new]}} hides both numbers)."""
    if isinstance(value, dict):
        return {k: HIDDEN if _personal(str(k)) else _hide_personal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_personal(item) for item in value]
    return value


def details(data: dict[str, Any] | None) -> str:
    """An entry's data as short text, personal values hidden."""
    shown = _hide_personal(data or {})
    return "; ".join(f"{key}: {shown[key]}" for key in sorted(shown))
