"""The attendance report API: the table (JSON, CSV, XLSX) and report runs compiled by workers."""

from __future__ import annotations

from flask import Response, g, url_for

from ..auth.models import Role
from ..auth.permissions import REPORTERS
from ..core.api import ApiError, api_blueprint, endpoint, not_found
from ..core.columns import utcnow
from ..core.downloads import content_disposition
from ..extensions import db
from . import door, operations, queries
from .exports import to_csv, to_xlsx
from .models import ReportRun
from .schemas import (
    AttendanceFilters,
    AttendanceQuery,
    AttendanceTable,
    DoorQuery,
    DoorTable,
    ExportFormat,
    ReportRunOut,
)
from .scope import reach
from .suppression import for_reader

bp = api_blueprint("reports_api", __name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(filters: AttendanceFilters, extension: str) -> str:
    parts = ["attendance", filters.group_by.value]
    if filters.from_:
        parts.append(filters.from_.isoformat())
    if filters.to:
        parts.append(filters.to.isoformat())
    return "-".join(parts) + "." + extension


def download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition("attachment", filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@endpoint(
    bp,
    "/reports/attendance",
    "GET",
    roles=REPORTERS,
    query=AttendanceQuery,
    response=AttendanceTable,
    downloads=("text/csv", XLSX_TYPE),
    summary="Attendance counts grouped by organisation, union, province, country, event, "
    "series, type, level, gender, role or month (JSON, CSV or XLSX)",
)
def attendance(query: AttendanceQuery):
    user = g.api_user
    table = queries.attendance(query, **reach(user))
    for_reader(user, table)
    if query.format == ExportFormat.csv:
        return download(
            to_csv(table, query.group_by, query.sep),
            "text/csv; charset=utf-8",
            export_filename(query, "csv"),
        )
    if query.format == ExportFormat.xlsx:
        data = to_xlsx(table, query.group_by, query.params(), generated_at=utcnow())
        return download(data, XLSX_TYPE, export_filename(query, "xlsx"))
    return table


@endpoint(
    bp,
    "/reports/door",
    "GET",
    roles=REPORTERS,
    query=DoorQuery,
    response=DoorTable,
    summary="Scans refused at the door (wrong day, not attending) and overrides, per event of "
    "the period",
)
def door_refusals(query: DoorQuery):
    user = g.api_user
    table = door.refusals(queries.resolve(query, **reach(user)))
    for_reader(user, table)
    return table


def run_out(run: ReportRun) -> ReportRunOut:
    return ReportRunOut(
        id=run.id,
        status=run.status,
        progress=run.progress,
        params=run.params,
        result=run.result if run.status == "done" else None,
        error=run.error,
        created_at=run.created_at,
        finished_at=run.finished_at,
        xlsx_url=url_for("reports_api.run_xlsx", run_id=run.id) if run.xlsx else None,
        page_url=url_for("reports.run_page", run_id=run.id),
    )


def visible_run(run_id: int) -> ReportRun:
    """The caller's own run (administrators see every run); anything else is not found."""
    run = db.session.get(ReportRun, run_id)
    user = g.api_user
    if run is None or (user.role != Role.admin and run.requested_by_id != user.id):
        raise not_found("Report run")
    return run


@endpoint(
    bp,
    "/reports/runs",
    "POST",
    roles=REPORTERS,
    body=AttendanceFilters,
    response=ReportRunOut,
    status=202,
    summary="Compile an attendance report in the background (emails a link when ready)",
)
def create_run(body: AttendanceFilters):
    # an unknown union or event is a 422 now, not a failed run later
    queries.resolve(body, **reach(g.api_user))
    run = operations.request_run(body, g.api_user)
    db.session.commit()
    operations.enqueue_run(run.id)
    return run_out(run)


@endpoint(
    bp,
    "/reports/runs/<int:run_id>",
    "GET",
    roles=REPORTERS,
    response=ReportRunOut,
    summary="A report run: status, progress and, when done, the result",
)
def get_run(run_id: int):
    return run_out(visible_run(run_id))


@endpoint(
    bp,
    "/reports/runs/<int:run_id>/xlsx",
    "GET",
    roles=REPORTERS,
    downloads=(XLSX_TYPE,),
    summary="The XLSX of a finished report run",
    extra_statuses={409: "The run has not finished yet"},
)
def run_xlsx(run_id: int):
    run = visible_run(run_id)
    if run.xlsx is None:
        raise ApiError(409, "not_ready", "The report is not ready yet.")
    filters = AttendanceFilters.model_validate(run.params)
    return download(run.xlsx, XLSX_TYPE, export_filename(filters, "xlsx"))
