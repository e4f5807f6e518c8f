"""The results as each reader may see them: one event's (its page, its exports, the API) and
the period's across events (the dashboard's feedback block, the report API and exports).

    event_results(event, user)        # EventResults: the event's own questions
    period_report(scope, user)        # FeedbackReport: the standard questions, event by event
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from ..auth.permissions import EDITORS
from ..events.display import event_title
from ..events.models import Event, EventStatus
from ..events.visibility import hosted_by_union
from ..extensions import db
from ..reports.groupings import events as events_table
from ..reports.scope import Scope, event_filters
from ..reports.suppression import hides_small_cells, suppress
from . import queries, results
from .models import FeedbackResponse
from .schemas import EventFeedbackRow, EventResults, FeedbackReport


def page_language() -> str:
    return str(get_locale() or "tr").split("_")[0]


def event_results(event: Event, user: Any) -> EventResults:
    """The event's survey results; comments only for organisers and administrators."""
    hide = hides_small_cells(user)
    survey = queries.survey_of(event.id)
    questions = (
        results.event_questions(survey.questions, page_language(), survey.default_language)
        if survey is not None
        else []
    )
    sent, _answered = queries.request_counts(event.id)
    answered = [
        results.question_result(
            q, [event.id], hide=hide, comments=getattr(user, "role", None) in EDITORS
        )
        for q in questions
    ]
    respondents = results.respondents([event.id])
    # who was sent the survey and did not answer are people too: the row relation
    # sent = respondents + not_answered (ROW_RELATIONS) hides its complements
    totals = {
        "respondents": respondents,
        "sent": sent,
        "not_answered": max(sent - respondents, 0),
    }
    if hide:
        suppress({"rows": [], "totals": totals}, results.min_cell(), _forced(answered))
    return EventResults(
        event_id=event.id,
        title=event_title(event),
        respondents=totals["respondents"],
        sent=totals["sent"],
        suppressed=bool(totals.get("suppressed")),
        questions=answered,
    )


def _forced(questions: list) -> set[str]:
    """Everyone who answered usually answered each question, so the number of respondents
    would give back a question's hidden count: it is hidden whenever one is."""
    if any(q.overall.suppressed for q in questions):
        return {"respondents", "rated"}
    return set()


def events_in(scope: Scope) -> list[tuple[int, str]]:
    """(id, title) of the scope's events that are not cancelled and have answers, by start. A
    response knows its event only, so the union and country filters take the event's host and
    country. Events without answers add nothing to any count, and loading every event of the
    period cost the dashboard ~150 ms on the million-invitation data (bench/pages.py)."""
    return [(event.id, event_title(event)) for event in db.session.scalars(_events_in(scope))]


@lru_cache(maxsize=64)
def _events_in(scope: Scope) -> sa.Select:
    """`events_in`'s statement, built once per scope (its values are all the scope's): the
    dashboard asks for it on every view (bench/pages.py, the dashboard)."""
    stmt = sa.select(events_table.c.id).where(events_table.c.status != EventStatus.cancelled.value)
    stmt = event_filters(stmt, scope, events_table.c.id, events_table)
    if scope.union_id is not None:
        stmt = stmt.where(hosted_by_union(scope.union_id, events_table.c.host_organisation_id))
    if scope.country is not None:
        stmt = stmt.where(events_table.c.country == scope.country)
    return (
        sa.select(Event)
        .where(Event.id.in_(stmt), Event.id.in_(sa.select(FeedbackResponse.event_id)))
        .order_by(Event.starts_at, Event.id)
    )


def period_report(scope: Scope, user: Any) -> FeedbackReport:
    """The standard questions over the scope's events, and each event's respondents and
    average usefulness (to coordinators with the small-cell rule)."""
    hide = hides_small_cells(user)
    listed = events_in(scope)
    ids = [event_id for event_id, _title in listed]
    counts = results.per_event(ids)
    table: dict[str, Any] = {
        "rows": [
            {"key": event_id, "label": title, "respondents": c[0], "rated": c[1], "sum": c[2]}
            for event_id, title in listed
            if (c := counts.get(event_id))
        ],
        "totals": {
            "respondents": sum(c[0] for c in counts.values()),
            "rated": sum(c[1] for c in counts.values()),
        },
    }
    sums = {row["key"]: row.pop("sum") for row in table["rows"]}
    questions = [
        results.question_result(q, ids, hide=hide, comments=False)
        for q in results.standard_questions()
    ]
    if hide:
        suppress(table, results.min_cell(), _forced(questions))
    rows = [
        EventFeedbackRow(
            event_id=row["key"],
            title=row["label"],
            respondents=row["respondents"],
            average_usefulness=(
                round(sums[row["key"]] / row["rated"], 2) if row["rated"] else None
            ),
            suppressed=bool(row.get("suppressed")),
        )
        for row in table["rows"]
    ]
    return FeedbackReport(
        events=rows,
        respondents=table["totals"]["respondents"],
        questions=questions,
        suppressed=bool(table["totals"].get("suppressed")),
    )
