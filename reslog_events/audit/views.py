"""The audit-log page for administrators: who did what, filtered, paginated, as CSV."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.models import User
from ..auth.permissions import ADMINS, roles_required
from ..core.api import PageQuery, paginate
from ..core.downloads import content_disposition
from ..core.routing import parse_id
from ..core.spreadsheets import csv_bytes
from ..extensions import db
from .queries import AuditFilters, actions, audit_entries, details

bp = Blueprint("audit", __name__, url_prefix="/admin")

PER_PAGE = 100
#: a CSV holds at most this many entries (narrow the dates for more)
CSV_LIMIT = 50_000

#: what the log calls a record (its model's lower-cased name), in the reader's language; the
#: action and the details stay as recorded (codes and field names, shown as code)
RECORD_KINDS = {
    "event": _l("Event"),
    "invitation": _l("Invitation"),
    "contact": _l("Contact"),
    "organisation": _l("Organisation"),
    "user": _l("User"),
    "reportrun": _l("Report"),
    "agendasession": _l("Session"),
    "itinerarysite": _l("Visit"),
    "delegationmember": _l("Delegation"),
    "checkin": _l("Check-in"),
    "certificate": _l("Certificate of attendance"),
    "eventmessage": _l("Message"),
}


def record_kind(object_type: str) -> str:
    label = RECORD_KINDS.get(object_type)
    return str(label) if label is not None else object_type


def _date(name: str):
    from datetime import date

    text = (request.args.get(name) or "").strip()
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
    return day if day is not None and 1900 <= day.year <= 2200 else None


def _filters() -> AuditFilters:
    action = (request.args.get("action") or "").strip()[:64] or None
    return AuditFilters(
        user_id=parse_id(request.args.get("user_id")),
        action=action,
        event_id=parse_id(request.args.get("event_id")),
        contact_id=parse_id(request.args.get("contact_id")),
        since=_date("from"),
        until=_date("to"),
    )


def _users() -> dict[int, User]:
    admin = current_user
    stmt = db.select(User).order_by(User.name, User.email)
    if admin.union_id is not None:
        stmt = stmt.where(User.union_id == admin.union_id)
    return {user.id: user for user in db.session.scalars(stmt)}


@bp.get("/audit")
@roles_required(*ADMINS)
def audit_log():
    filters = _filters()
    zone = current_app.config["DEFAULT_TIMEZONE"]
    page = min(parse_id(request.args.get("page")) or 1, 1_000_000)
    users = _users()
    found = paginate(
        audit_entries(filters, current_user, zone), PageQuery(page=page, per_page=PER_PAGE)
    )
    return render_template(
        "audit/log.html",
        entries=found.items,
        total=found.total,
        page=page,
        per_page=PER_PAGE,
        filters=filters,
        users=users,
        user_choices=[(ident, user.name) for ident, user in users.items()],
        action_choices=[(action, action) for action in actions()],
        details=details,
        record_kind=record_kind,
        zone=zone,
    )


@bp.get("/audit.csv")
@roles_required(*ADMINS)
def audit_csv():
    zone = current_app.config["DEFAULT_TIMEZONE"]
    stmt = audit_entries(_filters(), current_user, zone).limit(CSV_LIMIT)
    users = _users()
    rows = (
        [
            entry.created_at.isoformat(),
            entry.user_id or "",
            users[entry.user_id].name if entry.user_id in users else "",
            entry.actor,
            entry.action,
            record_kind(entry.object_type),
            entry.object_id or "",
            details(entry.data),
        ]
        for entry in db.session.scalars(stmt)
    )
    header = [
        _("Time (UTC)"),
        _("User number"),
        _("User"),
        _("Actor"),
        _("Action"),
        _("Record"),
        _("Record number"),
        _("Details"),
    ]
    return Response(
        csv_bytes(header, rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": content_disposition("attachment", "audit-log.csv"),
            "Cache-Control": "no-store",
        },
    )
