"""The organisers' pages: copy an event to another day; make a series of it, change its rule,
cancel its remaining events, each change behind a confirmation listing the events it touches."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import EDITORS, roles_required
from ..core.errors import DomainError
from ..core.web import form_data, validate_form
from ..events.visibility import event_or_404
from ..extensions import db
from . import operations, queries
from .copying import copy_event
from .display import describe_rule, week_choices, weekday_names
from .models import EventSeries, Frequency
from .schemas import CopyIn, RuleIn

bp = Blueprint("series", __name__)
bp.add_app_template_global(queries.series_summary, "series_summary")
bp.add_app_template_global(describe_rule, "describe_rule")

_RULE_FIELDS = ("frequency", "interval", "week_of_month", "weekday", "until", "occurrences")


def _validated(schema, values: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """The form's values through the API's schema; a field left empty is not sent (its default
    applies), and a required one left empty says so plainly."""
    parsed, errors = validate_form(schema, {k: v for k, v in values.items() if v is not None})
    return parsed, {
        field: _("This field is required.") if values.get(field) is None else message
        for field, message in errors.items()
    }


@bp.route("/events/<int:event_id>/copy", methods=["GET", "POST"])
@roles_required(*EDITORS)
def copy(event_id: int):
    event = event_or_404(event_id)
    values: dict[str, Any] = {"with_invitations": False}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = form_data()
        values["with_invitations"] = values.get("with_invitations") is not None
        parsed, errors = _validated(CopyIn, values)
        if parsed is not None:
            try:
                new = copy_event(
                    event,
                    parsed.starts_on,
                    with_invitations=parsed.with_invitations,
                    actor=current_user,
                )
            except DomainError as exc:
                db.session.rollback()
                errors = exc.fields or {"starts_on": exc.message}
            else:
                db.session.commit()
                flash(_("The copy was made as a draft. Check it, then publish it."), "success")
                return redirect(url_for("events.detail", event_id=new.id))
    return render_template("series/copy.html", event=event, values=values, errors=errors), (
        422 if errors else 200
    )


def _rule_values() -> dict[str, Any]:
    source = request.form if request.method == "POST" else request.args
    values: dict[str, Any] = {key: (source.get(key) or "").strip() or None for key in _RULE_FIELDS}
    values["with_invitations"] = source.get("with_invitations") is not None
    return values


def _series_page(event, series: EventSeries | None, values: dict[str, Any], errors):
    return render_template(
        "series/series.html",
        event=event,
        series=series,
        events=queries.siblings(series.id, current_user) if series else [],
        values=values,
        errors=errors,
        frequencies=Frequency.choices(),
        weekdays=weekday_names(),
        weeks=week_choices(),
    ), (422 if errors else 200)


def _defaults(event, series: EventSeries | None) -> dict[str, Any]:
    if series is not None:
        values = {key: getattr(series, key) for key in _RULE_FIELDS}
        values["frequency"] = series.frequency.value
        return values
    return {"frequency": Frequency.monthly.value, "interval": 1, "occurrences": 6}


@bp.route("/events/<int:event_id>/series", methods=["GET", "POST"])
@roles_required(*EDITORS)
def series(event_id: int):
    event = event_or_404(event_id)
    current = queries.series_of(event)
    if request.method == "GET":
        return _series_page(event, current, _defaults(event, current), {})
    values = _rule_values()
    parsed, errors = _validated(RuleIn, values)
    if parsed is not None:
        try:
            made, copies = operations.create_series(
                event, parsed.rule(), actor=current_user, with_invitations=parsed.with_invitations
            )
        except DomainError as exc:
            db.session.rollback()
            if not exc.fields:
                flash(exc.message, "error")
                return redirect(url_for(".series", event_id=event_id), 303)
            errors = exc.fields
        else:
            db.session.commit()
            flash(
                _("The series was made: %(num)d draft events.", num=len(copies)),
                "success",
            )
            return redirect(url_for(".series", event_id=event_id), 303)
    return _series_page(event, current, values, errors)


@bp.route("/events/<int:event_id>/series/change", methods=["GET", "POST"])
@roles_required(*EDITORS)
def change(event_id: int):
    event = event_or_404(event_id)
    current = queries.series_of(event)
    if current is None or (request.method == "GET" and "frequency" not in request.args):
        return redirect(url_for(".series", event_id=event_id), 303)
    values = _rule_values()
    parsed, errors = _validated(RuleIn, values)
    if parsed is None:
        return _series_page(event, current, values, errors)
    confirmed = request.method == "POST"
    try:
        plan = operations.change_series(
            current,
            parsed.rule(),
            actor=current_user,
            with_invitations=parsed.with_invitations,
            dry_run=not confirmed,
        )
    except DomainError as exc:
        db.session.rollback()
        if exc.fields:
            return _series_page(event, current, values, exc.fields)
        flash(exc.message, "error")
        return redirect(url_for(".series", event_id=event_id), 303)
    if not confirmed:
        db.session.rollback()
        return render_template(
            "series/confirm.html", event=event, plan=plan, action="change", values=values
        )
    db.session.commit()
    flash(_("The series was changed."), "success")
    return redirect(url_for(".series", event_id=event_id), 303)


@bp.route("/events/<int:event_id>/series/cancel", methods=["GET", "POST"])
@roles_required(*EDITORS)
def cancel(event_id: int):
    event = event_or_404(event_id)
    current = queries.series_of(event)
    if current is None:
        return redirect(url_for(".series", event_id=event_id), 303)
    confirmed = request.method == "POST"
    try:
        plan = operations.cancel_remaining(current, actor=current_user, dry_run=not confirmed)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".series", event_id=event_id), 303)
    if not confirmed:
        db.session.rollback()
        return render_template(
            "series/confirm.html", event=event, plan=plan, action="cancel", values={}
        )
    db.session.commit()
    flash(_("%(num)d events of the series were cancelled.", num=len(plan.cancelled)), "success")
    return redirect(url_for(".series", event_id=event_id), 303)
