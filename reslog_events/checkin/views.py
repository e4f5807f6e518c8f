"""Check-in pages: the door staff's scanner and the organisers' check-in log (and its CSV)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.permissions import DOOR, roles_required
from ..core.api import PageQuery
from ..core.columns import utcnow
from ..core.paging import paginate_rows
from ..core.routing import parse_id
from ..core.spreadsheets import csv_lines, delimiter_from
from ..events.models import Event
from ..events.visibility import event_or_404
from ..extensions import db
from . import queries
from .schemas import ScanResult

bp = Blueprint("checkin", __name__)

#: the check-in log's words for each result (and for undo)
RESULT_LABELS = {
    ScanResult.ok.value: _l("Checked in"),
    ScanResult.already_checked_in.value: _l("Already checked in"),
    ScanResult.invalid.value: _l("Unknown code"),
    ScanResult.wrong_event.value: _l("Wrong event"),
    ScanResult.revoked.value: _l("Revoked"),
    ScanResult.event_cancelled.value: _l("Event cancelled"),
    "undone": _l("Check-in undone"),
}
METHOD_LABELS = {
    "scan": _l("Scan"),
    "manual": _l("Manual"),
    "walk_in": _l("Walk-in"),
    "undo": _l("Undo"),
}
PER_PAGE = 50


@bp.get("/events/<int:event_id>/checkin")
@roles_required(*DOOR)
def scanner(event_id: int):
    event = event_or_404(event_id)
    response = Response(
        render_template(
            "checkin/scanner.html",
            event=event,
            stats=queries.stats(event),
            gates=queries.gates(event),
            organisations=queries.organisation_names(),
        )
    )
    # The page holds the CSRF token its scans are sent with: never from a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _log_filters() -> tuple[str | None, str | None]:
    result = request.args.get("result") or None
    if result not in RESULT_LABELS:
        result = None
    gate = (request.args.get("gate") or "").strip()[:40] or None
    return result, gate


@bp.get("/events/<int:event_id>/checkin/log")
@roles_required(*DOOR)
def log(event_id: int):
    event = event_or_404(event_id)
    result, gate = _log_filters()
    page = parse_id(request.args.get("page")) or 1
    page = page if page < 1_000_000 else 1
    stmt = queries.log_stmt(event, result, gate)
    found = paginate_rows(stmt, PageQuery(page=page, per_page=PER_PAGE), queries.log_row)
    return render_template(
        "checkin/log.html",
        event=event,
        rows=found.items,
        total=found.total,
        page=page,
        per_page=PER_PAGE,
        result=result,
        gate=gate,
        gates=queries.log_gates(event),
        stats=queries.stats(event),
        result_labels=RESULT_LABELS,
        method_labels=METHOD_LABELS,
    )


@bp.get("/events/<int:event_id>/checkin/log.csv")
@roles_required(*DOOR)
def log_csv(event_id: int):
    event = event_or_404(event_id)
    result, gate = _log_filters()
    stmt = queries.log_stmt(event, result, gate)
    header = [
        _("Received"),
        _("Scanned"),
        _("Gate"),
        _("By"),
        _("Method"),
        _("What was scanned"),
        _("Result"),
        _("Invitation"),
        _("Name"),
        _("Organisation"),
    ]

    def rows():
        for r in db.session.execute(stmt.execution_options(yield_per=500)):
            row = queries.log_row(r)
            yield [
                _local_iso(row["received_at"], event),
                _local_iso(row["scanned_at"], event),
                row["gate"],
                row["user_name"] or "",
                str(METHOD_LABELS.get(row["method"], row["method"])),
                row["scanned"],
                str(RESULT_LABELS.get(row["result"], row["result"])),
                row["invitation_id"] or "",
                row["full_name"] or "",
                row["organisation"] or "",
            ]

    filename = f"checkin-log-event-{event.id}-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        stream_with_context(csv_lines(header, rows(), delimiter_from(request.args.get("sep")))),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _local_iso(moment: datetime, event: Event) -> str:
    return moment.astimezone(event.zone).isoformat(timespec="seconds")


@bp.app_template_filter("checkin_time")
def checkin_time(moment: datetime | None, event: Event) -> str:
    """A time of the check-in log: HH:MM:SS in the event's zone (the page names the zone)."""
    if moment is None:
        return ""
    local = moment.astimezone(event.zone)
    return local.strftime("%Y-%m-%d %H:%M:%S")
