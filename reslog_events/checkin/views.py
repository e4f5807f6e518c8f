"""Check-in pages: the door staff's scanner and the organisers' check-in log (and its CSV)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.permissions import DOOR, roles_required
from ..core.api import PageQuery
from ..core.columns import utcnow
from ..core.datetimes import day, local_datetime
from ..core.downloads import content_disposition
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
    ScanResult.not_attending.value: _l("Not attending"),
    ScanResult.wrong_day.value: _l("Not an event day"),
    "undone": _l("Check-in undone"),
}
METHOD_LABELS = {
    "scan": _l("Scan"),
    "manual": _l("Manual"),
    "walk_in": _l("Walk-in"),
    "override": _l("Admitted anyway"),
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
            stats=(stats := queries.stats(event)),
            event_dates=event_dates(stats["first_day"], stats["last_day"]),
            gates=queries.gates(event),
            organisations=queries.organisation_names(),
        )
    )
    # The page holds the CSRF token its scans are sent with: never from a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def event_dates(first: date, last: date) -> str:
    """The event's days as people read them, in the page's language."""
    if first == last:
        return day(first)
    return f"{day(first)} – {day(last)}"


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
            "Content-Disposition": content_disposition("attachment", filename),
            "Cache-Control": "no-store",
        },
    )


def _local_iso(moment: datetime, event: Event) -> str:
    return moment.astimezone(event.zone).isoformat(timespec="seconds")


@bp.app_template_filter("checkin_time")
def checkin_time(moment: datetime | None, event: Event) -> str:
    """A time of the check-in log in the event's zone (the page names the zone)."""
    return local_datetime(moment, event.timezone)


# -- the scanner page offline: a service worker and a web app manifest --------------------------

#: what the scanner page needs to open without a network (paths under the static folder)
OFFLINE_ASSETS = (
    "css/app.css",
    "css/checkin.css",
    "vendor/fonts/*.css",
    "vendor/fonts/*.woff2",
    "vendor/jsqr/*.js",
    "js/checkin*.js",
    "icons/scanner-*.png",
)


@lru_cache(maxsize=1)
def _offline_files(static_folder: str) -> tuple[tuple[str, ...], str]:
    """The static files the worker caches, and a digest of their contents: a new release
    changes the worker's script, so phones fetch the new files."""
    root = Path(static_folder)
    files = sorted(
        {str(p.relative_to(root)) for pattern in OFFLINE_ASSETS for p in root.glob(pattern)}
    )
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return tuple(files), digest.hexdigest()[:16]


@bp.get("/events/<int:event_id>/checkin-sw.js")
@roles_required(*DOOR)
def service_worker(event_id: int):
    """The scanner's service worker, served from /events/<id>/ so that its scope covers the
    scanner page /events/<id>/checkin (a worker's scope is at most its script's folder)."""
    event = event_or_404(event_id)
    files, version = _offline_files(current_app.static_folder)
    script = render_template(
        "checkin/sw.js",
        cache_name=f"reslog-checkin-{event.id}-{version}",
        page=url_for("checkin.scanner", event_id=event.id),
        assets=[url_for("static", filename=name) for name in files],
    )
    response = Response(script, mimetype="text/javascript")
    # Browsers check for a new worker on each visit; never keep an old one in between.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/events/<int:event_id>/checkin/manifest.webmanifest")
@roles_required(*DOOR)
def manifest(event_id: int):
    """Installs the scanner of one event as a home-screen app."""
    event = event_or_404(event_id)
    page = url_for("checkin.scanner", event_id=event.id)
    body = {
        "name": f"{_('Check-in')} · {event.title}",
        "short_name": _("Check-in"),
        "start_url": page,
        "scope": page,
        "id": page,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#136f3a",
        "lang": get_locale().language if get_locale() else "tr",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/scanner-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response
