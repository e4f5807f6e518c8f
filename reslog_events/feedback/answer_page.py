"""The participant's survey page, reached by the personal link in the email (no account):
the questions in their language, one answer per link. A GET changes nothing; a second answer
is refused with a clear page; an unknown link is the same 404 as any missing page (and counts
toward the per-address limit on guessing, with the RSVP links)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _

from ..events.display import event_period
from ..extensions import db
from ..invitations.models import InvitationStatus
from ..rsvp.invitee_pages import token_guessing_limit
from ..rsvp.queries import organiser_contact
from . import operations, queries
from .models import SCALE, TEXT_MAX, FeedbackQuestion, FeedbackRequest, FeedbackSurvey, QuestionKind

bp = Blueprint("feedback_answer", __name__)

_TOKEN = re.compile(queries.TOKEN_PATTERN)
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache", "X-Robots-Tag": "noindex"}


def request_or_404(token: str) -> FeedbackRequest:
    found = queries.request_by_token(token) if _TOKEN.fullmatch(token) else None
    if found is None or found.invitation.status == InvitationStatus.revoked:
        abort(404)
    invitation = found.invitation
    g.default_language = invitation.contact.language.value
    g.error_contact = lambda: organiser_contact(invitation.event)
    refresh()
    return found


def read_answers(
    questions: list[FeedbackQuestion], form: Any
) -> tuple[dict[int, dict[str, Any]], dict[str, str]]:
    """The form's answers by question id, and errors by field name; a question left empty is
    skipped, but at least one must be answered."""
    answers: dict[int, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for question in questions:
        name = f"q{question.id}"
        value = (form.get(name) or "").strip()
        if not value:
            continue
        if question.kind == QuestionKind.scale:
            if value not in {str(n) for n in SCALE}:
                errors[name] = _("Choose a number from 1 to 5.")
            else:
                answers[question.id] = {"scale": int(value)}
        elif question.kind == QuestionKind.choice:
            if value not in {o["key"] for o in question.options or ()}:
                errors[name] = _("Choose one of the options.")
            else:
                answers[question.id] = {"choice": value}
        elif len(value) > TEXT_MAX:
            errors[name] = _("At most %(num)s characters.", num=TEXT_MAX)
        else:
            answers[question.id] = {"text": value}
    if not answers and not errors:
        errors["form"] = _("Please answer at least one question.")
    return answers, errors


def _page(
    request_row: FeedbackRequest,
    survey: FeedbackSurvey | None,
    *,
    state: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
):
    event = request_row.invitation.event
    name, address = organiser_contact(event)
    language = str(get_locale() or "tr").split("_")[0]
    html = render_template(
        "feedback/answer.html",
        event=event,
        period=event_period(event),
        state=state,
        survey=survey,
        language=language,
        default_language=survey.default_language if survey else language,
        scale=list(SCALE),
        values=values or {},
        errors=errors or {},
        text_max=TEXT_MAX,
        organiser_name=name,
        organiser_email=address,
        form_action=request.path,
    )
    response = make_response(html, status)
    response.headers.update(_NO_STORE)
    return response


@bp.route("/feedback/<token>", methods=["GET", "POST"])
@token_guessing_limit
def answer(token: str):
    request_row = request_or_404(token)
    survey = queries.survey_of(request_row.invitation.event_id)
    if request.args.get("thanks") == "1" and request_row.answered:
        return _page(request_row, survey, state="thanks")
    if request_row.answered:
        status = 409 if request.method == "POST" else 200
        return _page(request_row, survey, state="answered", status=status)
    if survey is None or not survey.enabled or request_row.invitation.event.is_cancelled:
        return _page(
            request_row, survey, state="closed", status=410 if request.method == "POST" else 200
        )
    if request.method == "GET":
        return _page(request_row, survey, state="open")
    values = {key: value for key, value in request.form.items() if key != "csrf_token"}
    answers, errors = read_answers(survey.questions, request.form)
    if errors:
        return _page(request_row, survey, state="open", values=values, errors=errors, status=422)
    try:
        operations.submit_answers(request_row, answers)
    except operations.FeedbackRefused:
        db.session.rollback()
        return _page(request_row, survey, state="answered", status=409)
    db.session.commit()
    return redirect(url_for("feedback_answer.answer", token=token, thanks="1"), 303)
