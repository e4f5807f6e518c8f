"""The coordinators' dashboard, report runs and the drill-down from an organisation."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.permissions import EDITORS, REPORTERS, roles_required
from ..core.api import PageQuery
from ..core.countries import country_choices
from ..core.paging import paginate_rows
from ..core.web import validate_form
from ..directory.models import Organisation, OrganisationKind
from ..events.models import Event, EventKind, EventLevel
from ..events.visibility import hidden_from, hosted_by_union, visible_to
from ..extensions import RTL_LANGUAGES, db
from ..series.queries import series_choices
from . import charts, door, drilldown, operations, queries, returning
from .exports import count_headings, definitions, hidden_note
from .groupings import month_label
from .markup import count_cells
from .models import ReportRun
from .paging import can_page, table_page
from .schemas import AttendanceFilters, GroupBy
from .scope import COUNTS, PEOPLE, reach
from .suppression import any_hidden, for_reader, hides_small_cells

bp = Blueprint("reports", __name__)
bp.add_app_template_global(charts.line_marks, "line_marks")
bp.add_app_template_global(charts.bar_marks, "bar_marks")
bp.add_app_template_global(count_cells, "count_cells")

FILTER_FIELDS = (
    "group_by",
    "from",
    "to",
    "event_id",
    "series_id",
    "kind",
    "level",
    "union",
    "country",
)
#: rows of the dashboard's table per page (the print view and the downloads have them all):
#: rendering 1,400 organisations cost 250 ms of the page's 290 (bench/pages.py)
TABLE_PER_PAGE = 50


def status_labels() -> dict[str, str]:
    return {
        "queued": _("Queued"),
        "running": _("Compiling"),
        "done": _("Ready"),
        "failed": _("Failed"),
    }


def param_labels() -> dict[str, str]:
    return {
        "group_by": _("Grouped by"),
        "from": _("Events starting from"),
        "to": _("until (inclusive)"),
        "event_id": _("Event"),
        "series_id": _("Series"),
        "kind": _("Type of event"),
        "level": _("Level"),
        "union": _("Union"),
        "country": _("Country"),
        "organisation_id": _("Organisation"),
    }


@bp.app_context_processor
def _report_labels() -> dict[str, Any]:
    return {"run_status_labels": status_labels, "report_param_labels": param_labels}


def _filters_from_args() -> tuple[AttendanceFilters, dict[str, str], dict[str, Any]]:
    """The dashboard's GET form, validated with the API's model; invalid fields fall back to
    'any' (and show their error) so that the page still shows a table."""
    typed = {k: v for k, v in request.args.items() if k in FILTER_FIELDS}
    filters, errors = validate_form(AttendanceFilters, typed)
    if filters is None:
        kept = {k: v for k, v in typed.items() if k not in errors}
        filters, more = validate_form(AttendanceFilters, kept)
        if filters is None:
            filters = AttendanceFilters()
        errors.update(more)
    return filters, errors, typed


def _scope(filters: AttendanceFilters, errors: dict[str, str], **extra: Any) -> queries.Scope:
    from ..core.api import ApiError

    try:
        return queries.resolve(filters, **extra)
    except ApiError as exc:
        errors.update(exc.fields)
        cleaned = filters.model_copy(update={k: None for k in exc.fields})
        return queries.resolve(cleaned, **extra)


def _chart_data(
    filters: AttendanceFilters,
    scope: queries.Scope,
    table: dict[str, Any],
    municipalities: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The charts, each one aggregation over the same scope; to coordinators with the same
    small cells hidden as in the table (the month and people charts share its totals).
    `municipalities`: the bar chart's top rows as the table's page gave them (exact counts)."""
    args = filters.params()
    user = current_user._get_current_object()
    if municipalities is not None:
        per_org = {"rows": municipalities, "totals": {}}
    elif filters.group_by == GroupBy.organisation and scope.organisation_kind is None:
        per_org = _municipalities_of(table)
    else:
        municipal = queries.Scope(
            **{**scope.__dict__, "organisation_kind": OrganisationKind.municipality}
        )
        per_org = queries.table(GroupBy.organisation, municipal, people=False)
    for_reader(user, per_org)
    months = queries.table(GroupBy.month, scope, people=False)
    months["totals"] = dict(table["totals"])
    people = queries.participants(scope, GroupBy.gender, GroupBy.role_category)
    total_people = table["totals"]["unique_participants"]
    splits = [
        {"rows": people[group_by], "totals": {"unique_participants": total_people}}
        for group_by in (GroupBy.gender, GroupBy.role_category)
    ]
    # the table itself too: its totals are those of the month and people charts
    for_reader(user, table, months, *splits)
    trend = _every_month(months["rows"])
    back = returning.rows_for([row["key"] for row in trend], returning.per_month(scope))
    # no totals are shown: the sums stand in for them, so that hiding is on the safe side
    back_table = {
        "rows": back,
        "totals": {name: sum(row[name] for row in back) for name in returning.SERIES},
    }
    for_reader(user, back_table)
    labels = {row["key"]: row["label"] for row in trend}
    rtl = str(get_locale() or "") in RTL_LANGUAGES
    organisation_link = _organisation_links(args)
    shown = [row for row in per_org["rows"] if row["attended"]]
    shown.sort(key=lambda row: (-row["attended"], row["label"]))
    return {
        "municipalities": charts.bar_chart(
            [
                (
                    row["label"],
                    row["attended"],
                    organisation_link(row["key"]),
                )
                for row in shown[:15]
            ]
        ),
        "trend": charts.line_chart([(row["label"], row["attended"]) for row in trend], rtl=rtl),
        **{
            name: charts.line_chart([(labels[row["key"]], row[name]) for row in back], rtl=rtl)
            for name in returning.SERIES
        },
        "gender": charts.split_chart(
            [(row["label"], row["unique_participants"]) for row in splits[0]["rows"]]
        ),
        "roles": charts.split_chart(
            [(row["label"], row["unique_participants"]) for row in splits[1]["rows"]]
        ),
        "hidden": any_hidden(per_org, months, back_table, *splits),
    }


def _organisation_links(args: dict[str, Any]) -> Any:
    """organisation id → its drill-down's URL with the report's filters: built once and the id
    put in, as url_for would write it (a url_for per row was a twentieth of the dashboard:
    bench/pages.py)."""
    path, mark, query = url_for("reports.organisation", organisation_id=0, **args).partition("?")
    head = path.removesuffix("0")
    return lambda organisation_id: f"{head}{organisation_id}{mark}{query}"


def _municipalities_of(table: dict[str, Any]) -> dict[str, Any]:
    """The municipalities' rows of a per-organisation table (before any hiding), as the chart's
    own query would give them: an organisation's counts do not depend on the other rows, the
    totals are the rows' sums, and the people are left out as that query leaves them out. A
    second pass over a million facts spared (bench/pages.py, the dashboard)."""
    municipal = set(
        db.session.scalars(
            db.select(Organisation.id).where(Organisation.kind == OrganisationKind.municipality)
        )
    )
    people = dict.fromkeys(PEOPLE, 0)
    rows = [{**row, **people} for row in table["rows"] if row["key"] in municipal]
    totals = {name: sum(row[name] for row in rows) for name in COUNTS if name not in people}
    return {"rows": rows, "totals": {**totals, **people}}


def _every_month(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The month rows with the months between them that had no events (as zero), so that the
    trend line's spacing is true; a span of more than ten years is left as it is."""
    if len(rows) < 2:
        return rows
    first, last = (tuple(int(p) for p in rows[i]["key"].split("-")) for i in (0, -1))
    span = (last[0] - first[0]) * 12 + last[1] - first[1]
    if span > 120:
        return rows
    by_key = {row["key"]: row for row in rows}
    out = []
    year, month = first
    for _step in range(span + 1):
        key = f"{year:04d}-{month:02d}"
        out.append(by_key.get(key) or {"key": key, "label": month_label(key), "attended": 0})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@lru_cache(maxsize=8)
def _enum_choices(locale: str) -> dict[str, list[tuple[str, str]]]:
    """The form's fixed choices in `locale` (`locale`: the key; the labels are translated
    in the request's own), written once per language: a translated label per option was a
    look-up and a gettext per request (bench/pages.py, the dashboard)."""
    return {
        "group_by": GroupBy.choices(),
        "kind": EventKind.choices(),
        "level": EventLevel.choices(),
    }


@lru_cache(maxsize=64)
def _choice_statements(union_id: int | None) -> tuple[sa.Select, sa.Select, sa.Select]:
    """The unions', the countries' and the recent events' statements (the last for a
    union-scoped reader's union), built once (bench/pages.py, the dashboard)."""
    unions = (
        db.select(Organisation.code, Organisation.name, Organisation.id)
        .where(Organisation.kind == OrganisationKind.union)
        .order_by(Organisation.sort_key)
    )
    countries = db.select(Organisation.country).distinct().order_by(Organisation.country)
    recent = db.select(Event.id, Event.title).order_by(Event.starts_at.desc()).limit(200)
    if union_id is not None:
        recent = recent.where(hosted_by_union(union_id))
    return unions, countries, recent


def _choices() -> dict[str, list[tuple[str, str]]]:
    union_id = reach(current_user).get("host_union_id")
    unions_stmt, countries_stmt, recent = _choice_statements(union_id)
    unions = db.session.execute(unions_stmt).all()
    countries = db.session.scalars(countries_stmt).all()
    recent_events = db.session.execute(recent).all()
    return {
        "series": series_choices(union_id),
        **_enum_choices(str(get_locale() or "")),
        "union": [
            (u.code or str(u.id), f"{u.code} — {u.name}" if u.code else u.name) for u in unions
        ],
        "country": country_choices(countries),
        "event": [(str(e.id), e.title) for e in recent_events],
    }


def _recent_runs() -> list[ReportRun]:
    return db.session.scalars(
        db.select(ReportRun)
        .where(ReportRun.requested_by_id == current_user.id)
        .order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
        .limit(5)
    ).all()


@bp.get("/reports")
@roles_required(*REPORTERS)
def dashboard():
    filters, errors, typed = _filters_from_args()
    scope = _scope(filters, errors, **reach(current_user))
    user = current_user._get_current_object()
    printing = request.args.get("print") == "1"
    page = request.args.get("page", "1")
    page = max(int(page), 1) if page.isdigit() else 1
    if not printing and can_page(filters.group_by) and not hides_small_cells(user):
        # the page's rows from the database, the totals of every row (bench/pages.py, the
        # dashboard); hiding small cells needs every row, so coordinators take the branch below
        found = table_page(filters.group_by, scope, page, TABLE_PER_PAGE)
        table, total_rows = {"rows": found.rows, "totals": found.totals}, found.count
        chart_data = _chart_data(filters, scope, table, found.municipalities)
    else:
        table = queries.table(filters.group_by, scope)
        chart_data = _chart_data(filters, scope, table)  # hides the table's small cells too
        total_rows = len(table["rows"])
        if not printing:  # the page's rows; the totals stay those of every row
            start = (page - 1) * TABLE_PER_PAGE
            table = {**table, "rows": table["rows"][start : start + TABLE_PER_PAGE]}
    refused = door.refusals(scope)
    for_reader(user, refused)
    args = filters.params()
    return render_template(
        "reports/dashboard.html",
        filters=filters,
        typed=typed,
        errors=errors,
        args=args,
        table=table,
        page=page,
        per_page=TABLE_PER_PAGE,
        total_rows=total_rows,
        charts=chart_data,
        door=refused,
        hidden_note=hidden_note() if chart_data["hidden"] or any_hidden(table) else None,
        choices=_choices(),
        headings=count_headings(),
        counts=queries.CONTRACT_COUNTS,
        definitions=definitions(),
        runs=_recent_runs(),
        printing=printing,
        row_link=(
            (lambda row, link=_organisation_links(args): link(row["key"]))
            if filters.group_by == GroupBy.organisation
            else None
        ),
    )


@bp.post("/reports/runs")
@roles_required(*REPORTERS)
def request_run():
    typed = {k: v for k, v in request.form.items() if k in FILTER_FIELDS}
    filters, errors = validate_form(AttendanceFilters, typed)
    if filters is None:
        return redirect(url_for("reports.dashboard", **typed))
    scope_errors: dict[str, str] = {}
    _scope(filters, scope_errors, **reach(current_user))
    if scope_errors:
        filters = filters.model_copy(update={k: None for k in scope_errors})
    run = operations.request_run(filters, current_user._get_current_object())
    db.session.commit()
    operations.enqueue_run(run.id)
    return redirect(url_for("reports.run_page", run_id=run.id))


def _visible_run(run_id: int) -> ReportRun:
    run = db.session.get(ReportRun, run_id)
    if run is None or (current_user.role != Role.admin and run.requested_by_id != current_user.id):
        abort(404)
    return run


@bp.get("/reports/runs/<int:run_id>")
@roles_required(*REPORTERS)
def run_page(run_id: int):
    run = _visible_run(run_id)
    filters = AttendanceFilters.model_validate(run.params)
    return render_template(
        "reports/run.html",
        run=run,
        filters=filters,
        args=filters.params(),
        headings=count_headings(),
        counts=queries.CONTRACT_COUNTS,
        definitions=definitions(),
        hidden_note=hidden_note() if run.result and any_hidden(run.result) else None,
    )


@bp.get("/reports/organisations/<int:organisation_id>")
@roles_required(*REPORTERS)
def organisation(organisation_id: int):
    """From a municipality to its events (counts for everyone) and its participants (for those
    who may see people)."""
    org = db.get_or_404(Organisation, organisation_id)
    filters, errors, typed = _filters_from_args()
    filters = filters.model_copy(update={"group_by": GroupBy.event, "organisation_id": org.id})
    scope = _scope(filters, errors, **reach(current_user))
    table = queries.table(GroupBy.event, scope)
    # the events listed: those the user may see (a union-scoped user's union and teams)
    hidden = hidden_from(current_user, [row["key"] for row in table["rows"]])
    table["rows"] = [row for row in table["rows"] if row["key"] not in hidden]
    for_reader(current_user._get_current_object(), table)
    people, total, paging = None, 0, PageQuery()
    show_people = current_user.role in EDITORS
    if show_people:
        asked = {k: request.args[k] for k in ("page", "per_page") if k in request.args}
        paging = validate_form(PageQuery, asked)[0] or PageQuery()
        stmt = drilldown.participants(scope).where(visible_to(current_user))
        found = paginate_rows(stmt, paging)
        people, total = found.items, found.total
    args = {k: v for k, v in filters.params().items() if k not in ("group_by", "organisation_id")}
    return render_template(
        "reports/organisation.html",
        org=org,
        filters=filters,
        errors=errors,
        args=args,
        table=table,
        people=people,
        people_total=total or 0,
        paging=paging,
        show_people=show_people,
        headings=count_headings(),
        counts=queries.CONTRACT_COUNTS,
        title=_("Attendance: %(name)s", name=org.name),
        hidden_note=hidden_note() if any_hidden(table) else None,
    )
