"""JSON API of the feedback survey: the survey of an event (read, set up or change, send now),
its results, and the period's results across events (JSON, CSV or XLSX). No endpoint takes or
gives an answer's id, an invitation or a person: only questions, counts and averages, and (to
organisers and administrators) the free comments as a plain list."""

from __future__ import annotations

from flask import g

from ..auth.permissions import EDITORS, REPORTERS
from ..core.api import api_blueprint, endpoint
from ..events.visibility import event_or_404
from ..extensions import db
from ..reports.api import XLSX_TYPE
from ..reports.scope import reach, resolve
from . import exports, operations, queries, summaries
from .models import FeedbackSurvey
from .schemas import (
    EventResults,
    FeedbackReport,
    FeedbackReportQuery,
    ResultsQuery,
    SendResult,
    SurveyIn,
    SurveyOut,
)

bp = api_blueprint("feedback_api", __name__)


def survey_out(event_id: int, survey: FeedbackSurvey) -> SurveyOut:
    sent, answered = queries.request_counts(event_id)
    return SurveyOut(
        event_id=event_id,
        enabled=survey.enabled,
        send_at_end=survey.send_at_end,
        default_language=survey.default_language,
        locked=queries.is_locked(event_id),
        questions=survey.questions,
        sent=sent,
        answered=answered,
        to_send=queries.due_count(event_id),
    )


@endpoint(
    bp,
    "/events/<int:event_id>/feedback",
    "GET",
    roles=EDITORS,
    response=SurveyOut,
    summary="The event's feedback survey: its questions, whether it is on, how many were sent "
    "it and answered (404 when the event has none)",
)
def get_survey(event_id: int):
    event = event_or_404(event_id)
    survey = queries.survey_of(event.id)
    if survey is None:
        from ..core.api import not_found

        raise not_found("Survey")
    return survey_out(event.id, survey)


@endpoint(
    bp,
    "/events/<int:event_id>/feedback",
    "PUT",
    roles=EDITORS,
    body=SurveyIn,
    response=SurveyOut,
    extra_statuses={409: "The questions have answers already (locked), or the event is cancelled"},
    summary="Set up or change the event's survey (a new one starts with the three standard "
    "questions); questions can change until the first answer arrives",
)
def put_survey(event_id: int, body: SurveyIn):
    event = event_or_404(event_id)
    survey = operations.save_survey(event, body, by=g.api_user)
    db.session.commit()
    return survey_out(event.id, survey)


@endpoint(
    bp,
    "/events/<int:event_id>/feedback/send",
    "POST",
    roles=EDITORS,
    response=SendResult,
    status=202,
    extra_statuses={409: "No survey switched on, the event has not started, or it is cancelled"},
    summary="Send the survey now to those who attended and were not sent it yet",
)
def send_survey(event_id: int):
    event = event_or_404(event_id)
    sent = operations.send_survey(event, by=g.api_user)
    db.session.commit()
    return SendResult(recipients=sent)


@endpoint(
    bp,
    "/events/<int:event_id>/feedback/results",
    "GET",
    roles=REPORTERS,
    query=ResultsQuery,
    response=EventResults,
    downloads=("text/csv", XLSX_TYPE),
    summary="The survey's results: per question the counts and the average, by gender, role "
    "and kind of organisation (small cells hidden to coordinators); JSON, CSV or XLSX",
)
def event_results(event_id: int, query: ResultsQuery):
    event = event_or_404(event_id)
    results = summaries.event_results(event, g.api_user)
    file = exports.as_download(
        query.format,
        f"feedback-event-{event.id}",
        lambda: exports.event_csv(results, query.sep),
        lambda: exports.event_xlsx(results),
    )
    return file or results


@endpoint(
    bp,
    "/reports/feedback",
    "GET",
    roles=REPORTERS,
    query=FeedbackReportQuery,
    response=FeedbackReport,
    downloads=("text/csv", XLSX_TYPE),
    summary="Feedback over the period's events: the standard questions' results and each "
    "event's respondents and average usefulness (the attendance report's filters); JSON, CSV "
    "or XLSX",
)
def feedback_report(query: FeedbackReportQuery):
    user = g.api_user
    report = summaries.period_report(resolve(query, **reach(user)), user)
    file = exports.as_download(
        query.format,
        "feedback",
        lambda: exports.report_csv(report, query.sep),
        lambda: exports.report_xlsx(report, query.params()),
    )
    return file or report
