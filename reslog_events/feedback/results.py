"""The survey's results: per question the distribution of the answers (and the average of a
scale), broken down by gender, role and organisation kind, for one event or across events.

To coordinators the small-cell rule of the attendance report holds (`reports.suppression`,
REPORT_MIN_CELL): a count from 1 to the minimum − 1, and any count that would reveal one, is
`None`; a row with a hidden count shows neither how many answered nor its average (both would
give the hidden count back). Organisers and administrators see exact counts. Free answers are a
plain list in alphabetical order, never with the attributes of their writers, and only for the
organisers and administrators of the event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..core.turkish import sort_key
from ..directory.models import Gender, OrganisationKind, RoleCategory
from ..extensions import db
from ..reports.suppression import suppress, suppress_together
from .models import SCALE, FeedbackAnswer, FeedbackQuestion, FeedbackResponse, QuestionKind
from .schemas import Cell, OptionLabel, QuestionResult
from .standard import WILL_USE_OPTIONS, standard_option, standard_text

BREAKDOWNS: dict[str, type] = {
    "gender": Gender,
    "role_category": RoleCategory,
    "organisation_kind": OrganisationKind,
}


def breakdown_labels() -> dict[str, str]:
    return {
        "gender": _("Gender"),
        "role_category": _("Role"),
        "organisation_kind": _("Kind of organisation"),
    }


def min_cell() -> int:
    return int(current_app.config["REPORT_MIN_CELL"])


class Question:
    """What the results need of a question: a key to find its answers, its options."""

    def __init__(
        self,
        position: int,
        kind: QuestionKind,
        key: str | None,
        text: str,
        options: list[tuple[str, str]],
        match: sa.ColumnElement[bool],
    ) -> None:
        self.position, self.kind, self.key, self.text = position, kind, key, text
        self.options, self.match = options, match


def event_questions(questions: list[FeedbackQuestion], language: str, default: str) -> list:
    """An event's questions, texts in `language` (else the survey's default)."""
    out = []
    for q in questions:
        options = (
            [(str(n), str(n)) for n in SCALE]
            if q.kind == QuestionKind.scale
            else q.option_labels(language, default)
        )
        match = FeedbackAnswer.question_id == q.id
        out.append(
            Question(q.position, q.kind, q.key, q.text_in(language, default), options, match)
        )
    return out


def standard_questions() -> list[Question]:
    """The standard questions counted across events (each event's own texts may differ)."""
    scale = [(str(n), str(n)) for n in SCALE]
    choice = [(key, standard_option(key)) for key in WILL_USE_OPTIONS]
    return [
        Question(
            n,
            kind,
            key,
            standard_text(key),
            options,
            FeedbackAnswer.question_id.in_(
                sa.select(FeedbackQuestion.id).where(FeedbackQuestion.key == key)
            ),
        )
        for n, (key, kind, options) in enumerate(
            [
                ("usefulness", QuestionKind.scale, scale),
                ("will_use", QuestionKind.choice, choice),
            ],
            start=1,
        )
    ]


def _answers(question: Question, event_ids: list[int]) -> list[sa.Row]:
    if not event_ids:  # no statement for an empty IN list (bench/pages.py, the dashboard)
        return []
    return db.session.execute(
        sa.select(
            FeedbackAnswer.scale,
            FeedbackAnswer.choice,
            FeedbackAnswer.text,
            FeedbackResponse.gender,
            FeedbackResponse.role_category,
            FeedbackResponse.organisation_kind,
        )
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(question.match, FeedbackResponse.event_id.in_(event_ids))
    ).all()


def _label(enum_class: type, value: Any) -> str:
    if value is None:
        return _("No organisation")
    return enum_class(value).label


def _cell(row: dict[str, Any], options: list[str], scale: bool, **extra: Any) -> Cell:
    counts = {key: row.get(key, 0) for key in options}
    hidden = any(value is None for value in counts.values())
    answered = None if hidden else sum(counts.values())
    average = None
    if scale and answered:
        average = round(sum(int(k) * v for k, v in counts.items()) / answered, 2)
    return Cell(
        counts=counts,
        answered=answered,
        average=average,
        suppressed=bool(row.get("suppressed")),
        **extra,
    )


def question_result(
    question: Question, event_ids: list[int], *, hide: bool, comments: bool
) -> QuestionResult:
    rows = _answers(question, event_ids)
    keys = [key for key, _label in question.options]
    labels = [OptionLabel(key=k, label=label) for k, label in question.options]
    if question.kind == QuestionKind.text:
        totals = {"answered": len(rows)}
        if hide:
            suppress({"rows": [], "totals": totals}, min_cell())
        texts = sorted((r.text for r in rows if r.text), key=sort_key) if comments else None
        overall = Cell(
            counts={}, answered=totals["answered"], suppressed=bool(totals.get("suppressed"))
        )
        return QuestionResult(
            position=question.position,
            kind=question.kind,
            key=question.key,
            text=question.text,
            options=[],
            overall=overall,
            breakdowns={},
            comments=texts,
        )
    value: Callable[[sa.Row], str | None] = (
        (lambda r: None if r.scale is None else str(r.scale))
        if question.kind == QuestionKind.scale
        else (lambda r: r.choice)
    )
    totals = dict.fromkeys(keys, 0)
    groups: dict[str, dict[Any, dict[str, int]]] = {name: {} for name in BREAKDOWNS}
    for r in rows:
        chosen = value(r)
        if chosen not in totals:
            continue
        totals[chosen] += 1
        for name in BREAKDOWNS:
            attribute = getattr(r, name)
            attribute = None if attribute is None else str(attribute)
            cell = groups[name].setdefault(attribute, dict.fromkeys(keys, 0))
            cell[chosen] += 1
    tables = []
    for name, enum_class in BREAKDOWNS.items():
        table_rows = [
            {"key": key, "label": _label(enum_class, key), **counts}
            for key, counts in sorted(groups[name].items(), key=lambda kv: (kv[0] is None, kv[0]))
        ]
        tables.append({"rows": table_rows, "totals": dict(totals)})
    if hide:
        suppress_together(tables, min_cell())
    scale = question.kind == QuestionKind.scale
    return QuestionResult(
        position=question.position,
        kind=question.kind,
        key=question.key,
        text=question.text,
        options=labels,
        overall=_cell(tables[0]["totals"], keys, scale),
        breakdowns={
            name: [
                _cell(row, keys, scale, key=row["key"], label=row["label"]) for row in table["rows"]
            ]
            for name, table in zip(BREAKDOWNS, tables, strict=True)
        },
        comments=None,
    )


def respondents(event_ids: list[int]) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(FeedbackResponse.id)).where(
                FeedbackResponse.event_id.in_(event_ids)
            )
        )
        or 0
    )


def per_event(event_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """{event id: (respondents, usefulness answers, sum of usefulness)}."""
    if not event_ids:  # the dashboard's period without answers (bench/pages.py)
        return {}
    people = dict(
        db.session.execute(
            sa.select(FeedbackResponse.event_id, sa.func.count(FeedbackResponse.id))
            .where(FeedbackResponse.event_id.in_(event_ids))
            .group_by(FeedbackResponse.event_id)
        ).all()
    )
    rated: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for event_id, count, total in db.session.execute(
        sa.select(
            FeedbackResponse.event_id,
            sa.func.count(FeedbackAnswer.scale),
            sa.func.sum(FeedbackAnswer.scale),
        )
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .join(FeedbackQuestion, FeedbackQuestion.id == FeedbackAnswer.question_id)
        .where(FeedbackQuestion.key == "usefulness", FeedbackResponse.event_id.in_(event_ids))
        .group_by(FeedbackResponse.event_id)
    ).all():
        rated[event_id] = (int(count or 0), int(total or 0))
    return {event_id: (int(count), *rated[event_id]) for event_id, count in people.items() if count}
