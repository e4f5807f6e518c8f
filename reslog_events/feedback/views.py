"""The organisers' feedback pages of an event: the results (also for coordinators, with the
small-cell rule, and without the free comments), the survey's questions, "send now" with the
count and a confirmation, and the results as CSV and XLSX."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.permissions import EDITORS, REPORTERS, roles_required
from ..core.errors import DomainError
from ..core.spreadsheets import delimiter_from
from ..core.web import form_data, validate_form
from ..directory.models import Language
from ..events.display import event_period
from ..events.visibility import event_or_404
from ..extensions import db
from ..reports.exports import hidden_note
from ..reports.schemas import ExportFormat
from . import editing, exports, operations, queries, summaries
from .models import QuestionKind
from .results import breakdown_labels
from .schemas import SurveyIn

bp = Blueprint("feedback", __name__)


def _hidden(results) -> bool:
    cells = [q.overall for q in results.questions] + [
        c for q in results.questions for cells in q.breakdowns.values() for c in cells
    ]
    return results.suppressed or any(c.suppressed for c in cells)


@bp.get("/events/<int:event_id>/feedback")
@roles_required(*REPORTERS)
def results_page(event_id: int):
    event = event_or_404(event_id)
    survey = queries.survey_of(event.id)
    user = current_user._get_current_object()
    results = summaries.event_results(event, user)
    _sent, answered = queries.request_counts(event.id)
    can_edit = user.role in EDITORS
    return render_template(
        "feedback/results.html",
        event=event,
        period=event_period(event),
        survey=survey,
        results=results,
        locked=queries.is_locked(event.id),
        to_send=queries.due_count(event.id) if can_edit and survey else 0,
        sent=results.sent,
        answered=answered if can_edit else None,
        can_edit=can_edit,
        breakdown_labels=breakdown_labels(),
        hidden_note=hidden_note() if _hidden(results) else None,
    )


def _languages(event) -> list[tuple[str, str]]:
    names = dict(Language.choices())
    return [(code, names.get(code, code)) for code in queries.survey_languages(event)]


def _edit_page(event, survey, groups, errors, flags, status=200):
    return render_template(
        "feedback/edit.html",
        event=event,
        survey=survey,
        groups=groups,
        errors=errors,
        flags=flags,
        languages=_languages(event),
        kinds=QuestionKind.choices(),
        locked=queries.is_locked(event.id),
    ), status


@bp.route("/events/<int:event_id>/feedback/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(event_id: int):
    event = event_or_404(event_id)
    survey = queries.survey_of(event.id)
    languages = queries.survey_languages(event)
    if request.method == "GET":
        flags = {"enabled": survey.enabled, "send_at_end": survey.send_at_end} if survey else {}
        return _edit_page(event, survey, editing.form_groups(survey, languages), {}, flags)
    data = form_data()
    flags = {"enabled": bool(data.get("enabled")), "send_at_end": bool(data.get("send_at_end"))}
    body: dict = dict(flags)
    numbers: list[int] = []
    if data.get("action") == "create":
        body = {"enabled": True, "send_at_end": True}
    elif survey is not None and not queries.is_locked(event.id):
        body["questions"], numbers = editing.read_questions(data, languages)
    parsed, errors = validate_form(SurveyIn, body)
    if parsed is not None:
        try:
            operations.save_survey(event, parsed, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            if exc.status == 409:
                flash(exc.message, "error")
                return redirect(url_for(".edit", event_id=event.id), 303)
            errors = exc.fields or {"questions": exc.message}
        else:
            db.session.commit()
            flash(_("The survey was saved."), "success")
            return redirect(url_for(".edit", event_id=event.id), 303)
    groups = [{"n": n, **_group_values(data, n, languages)} for n in _group_numbers(data)]
    shown = editing.form_errors(errors, numbers)
    return _edit_page(event, survey, groups, shown, flags, 422)


def _group_numbers(data: dict) -> list[int]:
    return sorted({int(k[5:]) for k in data if k.startswith("kind_") and k[5:].isdigit()})


def _group_values(data: dict, n: int, languages: list[str]) -> dict:
    values = {
        name: data.get(f"{name}_{n}") or "" for name in ("kind", "key", "position", "optkeys")
    }
    values["remove"] = bool(data.get(f"remove_{n}"))
    for language in languages:
        values[f"text_{language}"] = data.get(f"text_{n}_{language}") or ""
        values[f"options_{language}"] = data.get(f"options_{n}_{language}") or ""
    return values


@bp.route("/events/<int:event_id>/feedback/send", methods=["GET", "POST"])
@roles_required(*EDITORS)
def send(event_id: int):
    """Send now: the count first, the emails after the confirmation."""
    event = event_or_404(event_id)
    if request.method == "GET":
        return render_template(
            "feedback/send.html",
            event=event,
            period=event_period(event),
            survey=queries.survey_of(event.id),
            count=queries.due_count(event.id),
        )
    try:
        sent = operations.send_survey(event, by=current_user)
    except operations.FeedbackRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".results_page", event_id=event.id), 303)
    db.session.commit()
    flash(
        ngettext(
            "The survey is on its way to %(num)d participant.",
            "The survey is on its way to %(num)d participants.",
            sent,
        ),
        "success",
    )
    return redirect(url_for(".results_page", event_id=event.id), 303)


def _export(event_id: int, fmt: ExportFormat) -> Response | None:
    event = event_or_404(event_id)
    results = summaries.event_results(event, current_user._get_current_object())
    return exports.as_download(
        fmt,
        f"feedback-event-{event.id}",
        lambda: exports.event_csv(results, delimiter_from(request.args.get("sep"))),
        lambda: exports.event_xlsx(results),
    )


@bp.get("/events/<int:event_id>/feedback.csv")
@roles_required(*REPORTERS)
def results_csv(event_id: int):
    return _export(event_id, ExportFormat.csv)


@bp.get("/events/<int:event_id>/feedback.xlsx")
@roles_required(*REPORTERS)
def results_xlsx(event_id: int):
    return _export(event_id, ExportFormat.xlsx)
