"""The results page (coordinators, administrators) and the administrators' page of targets and
the pilot list. Thin: `queries` counts, `operations` writes."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..auth.permissions import ADMINS, RESULT_READERS, roles_required
from ..core.errors import DomainError
from ..core.routing import parse_id
from ..core.web import form_data, validate_form
from ..directory.models import Organisation, OrganisationKind
from ..extensions import db
from ..reports.exports import hidden_note
from ..reports.scope import reach
from . import operations, queries
from .charts import format_value, indicator_chart
from .exports import general_methods, unit_labels
from .indicators import INDICATORS
from .models import ResultTarget
from .schemas import ResultsQuery, TargetIn

bp = Blueprint("results", __name__)


def _period_from_args() -> tuple[date, date, dict[str, str]]:
    typed = {k: v for k, v in request.args.items() if k in ("start", "end") and v.strip()}
    query, errors = validate_form(ResultsQuery, typed)
    if query is not None and (query.start is None) != (query.end is None):
        missing = "start" if query.start is None else "end"
        errors = {missing: _("Give both the start and the end of the period.")}
    if errors or query is None or query.start is None:
        return (*queries.default_period(), errors)
    return query.start, query.end, errors


@bp.get("/results")
@roles_required(*RESULT_READERS)
def results_page():
    start, end, errors = _period_from_args()
    data = queries.results(start, end, current_user._get_current_object())
    charts = {item["key"]: indicator_chart(item) for item in data["indicators"]}
    suppressed = any(item["suppressed"] for item in data["indicators"])
    union_id = reach(current_user).get("host_union_id")
    union = db.session.get(Organisation, union_id) if union_id is not None else None
    return render_template(
        "results/page.html",
        data=data,
        start=start,
        end=end,
        typed={k: request.args.get(k, "") for k in ("start", "end")} if errors else {},
        errors=errors,
        charts=charts,
        units=unit_labels(),
        fmt=format_value,
        periods=queries.target_periods(),
        general=general_methods(),
        hidden_note=hidden_note() if suppressed else None,
        # a Latin union name keeps its order in Arabic text
        union=Markup("<bdi>{}</bdi>").format(union.name) if union is not None else None,
        args={"start": start.isoformat(), "end": end.isoformat()},
    )


def _admin_context(values: dict[str, Any], errors: dict[str, str], editing=None) -> dict:
    targets = db.session.scalars(
        sa.select(ResultTarget).order_by(
            ResultTarget.period_start.desc(), ResultTarget.period_end.desc()
        )
    ).all()
    pilot = queries.pilot_list()
    on_list = {row.organisation_id for row in pilot}
    candidates = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.kind == OrganisationKind.municipality)
        .order_by(Organisation.sort_key)
    ).all()
    return {
        "targets": targets,
        "titles": {key: str(ind.title) for key, ind in INDICATORS.items()},
        "indicator_choices": [(key, str(ind.title)) for key, ind in INDICATORS.items()],
        "pilot": pilot,
        "candidates": [(c.id, c.name) for c in candidates if c.id not in on_list],
        "values": values,
        "errors": errors,
        "editing": editing,
    }


@bp.get("/admin/results")
@roles_required(*ADMINS)
def admin_page():
    editing = None
    if (ident := parse_id(request.args.get("edit"))) is not None:
        editing = db.session.get(ResultTarget, ident)
    values = {}
    if editing is not None:
        values = {
            "indicator": editing.indicator,
            "period_start": editing.period_start.isoformat(),
            "period_end": editing.period_end.isoformat(),
            "target": f"{editing.target:g}",
        }
    return render_template("results/admin.html", **_admin_context(values, {}, editing))


def _save(editing: ResultTarget | None):
    values = form_data()
    body, errors = validate_form(TargetIn, values)
    if body is not None:
        try:
            if editing is None:
                operations.set_target(
                    body.indicator,
                    body.period_start,
                    body.period_end,
                    body.target,
                    by=current_user._get_current_object(),
                )
            else:
                changes = body.model_dump()
                operations.update_target(editing, changes, by=current_user._get_current_object())
            db.session.commit()
            flash(_("The target is saved."), "success")
            return redirect(url_for("results.admin_page"))
        except DomainError as exc:
            db.session.rollback()
            errors = exc.fields
    context = _admin_context(values, errors, editing)
    return render_template("results/admin.html", **context), 422


@bp.post("/admin/results/targets")
@roles_required(*ADMINS)
def create_target():
    return _save(None)


@bp.post("/admin/results/targets/<int:target_id>")
@roles_required(*ADMINS)
def update_target(target_id: int):
    return _save(db.get_or_404(ResultTarget, target_id))


@bp.post("/admin/results/targets/<int:target_id>/delete")
@roles_required(*ADMINS)
def delete_target(target_id: int):
    operations.delete_target(
        db.get_or_404(ResultTarget, target_id), by=current_user._get_current_object()
    )
    db.session.commit()
    flash(_("The target is deleted."), "success")
    return redirect(url_for("results.admin_page"))


@bp.post("/admin/results/pilot")
@roles_required(*ADMINS)
def add_pilot():
    org = db.session.get(Organisation, parse_id(request.form.get("organisation_id")) or 0)
    if org is None:
        errors = {"organisation_id": _("Choose one of the organisations.")}
        return render_template("results/admin.html", **_admin_context({}, errors)), 422
    operations.add_to_pilot_list(org, by=current_user._get_current_object())
    db.session.commit()
    return redirect(url_for("results.admin_page"))


@bp.post("/admin/results/pilot/<int:organisation_id>/remove")
@roles_required(*ADMINS)
def remove_pilot(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    if not operations.remove_from_pilot_list(org, by=current_user._get_current_object()):
        abort(404)
    db.session.commit()
    return redirect(url_for("results.admin_page"))
