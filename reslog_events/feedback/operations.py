"""Writes of the feedback feature (the caller commits): the survey, sending it, the answers,
and forgetting an erased person's link.

    save_survey(event, SurveyIn(), by=user)     # a new survey: the three standard questions
    send_survey(event, by=user)                 # "send now": those who attended, not asked yet
    send_due_surveys()                          # the clock: events that ended, once each
    submit_answers(request_row, answers)        # the personal link's form

An answer is stored without the person (see `models`): the invitation's request is marked as
used by a conditional UPDATE in the same transaction, so a link answers once, and no audit
entry is written for it (an entry would tie the invitation to the moment of the answer).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.errors import DomainError
from ..core.tokens import digest, new_rsvp_token, seal
from ..events.models import Event, EventStatus
from ..extensions import db
from ..mail.outbox import queue_emails
from ..reports.groupings import REPORT_OFFSET
from . import queries
from .models import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackSurvey,
    QuestionKind,
)
from .schemas import QuestionIn, SurveyIn
from .standard import standard_questions

KIND = "feedback_survey"
#: an event whose survey is switched on later than this after its end is not sent by the clock
SEND_WITHIN_DAYS = 30
#: the standard questions' kinds
STANDARD_KINDS = {
    "usefulness": QuestionKind.scale,
    "will_use": QuestionKind.choice,
    "comment": QuestionKind.text,
}


class FeedbackRefused(DomainError):
    """The survey cannot do this now (409): `code` for the API, `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(409, code, message)


def _question_rows(questions: list[QuestionIn], default: str) -> list[dict[str, Any]]:
    """The questions as rows, checked: the default language's texts, the standard questions'
    kinds, a choice's options; 422 naming each field otherwise."""
    errors: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    keys: set[str] = set()
    for i, question in enumerate(questions):
        where = f"questions.{i}"
        if default not in question.texts:
            errors[f"{where}.texts"] = _(
                "The question needs a text in %(code)s, the event's first language.",
                code=default.upper(),
            )
        if question.key is not None:
            if question.key in keys:
                errors[f"{where}.key"] = _("Each standard question can be asked once.")
            elif STANDARD_KINDS[question.key] != question.kind:
                errors[f"{where}.key"] = _("This standard question keeps its kind.")
            keys.add(question.key)
        options = []
        if question.kind == QuestionKind.choice:
            if len(question.options) < 2:
                errors[f"{where}.options"] = _("A choice question needs at least two options.")
            for n, option in enumerate(question.options, start=1):
                if default not in option.texts:
                    errors[f"{where}.options"] = _(
                        "Every option needs a text in %(code)s, the event's first language.",
                        code=default.upper(),
                    )
                options.append({"key": option.key or f"o{n}", "texts": dict(option.texts)})
            if len({o["key"] for o in options}) != len(options):
                errors[f"{where}.options"] = _("Two options have the same key.")
        elif question.options:
            errors[f"{where}.options"] = _("Only a choice question has options.")
        rows.append(
            {
                "kind": question.kind,
                "key": question.key,
                "texts": dict(question.texts),
                "options": options,
            }
        )
    if errors:
        raise DomainError(422, "validation_error", _("The survey is not valid."), errors)
    return rows


def _as_rows(survey: FeedbackSurvey) -> list[dict[str, Any]]:
    return [
        {"kind": q.kind, "key": q.key, "texts": q.texts, "options": q.options or []}
        for q in survey.questions
    ]


def save_survey(event: Event, data: SurveyIn, *, by: User) -> FeedbackSurvey:
    """Create or change the event's survey. The questions can change until the first answer
    arrives (409 `survey_locked` after; the same questions again are accepted)."""
    if event.is_cancelled:
        raise FeedbackRefused("event_cancelled", _("The event is cancelled."))
    languages = queries.survey_languages(event)
    survey = queries.survey_of(event.id)
    questions = data.questions
    if survey is None:
        survey = FeedbackSurvey(event_id=event.id, default_language=languages[0])
        db.session.add(survey)
        if questions is None:
            questions = [QuestionIn.model_validate(q) for q in standard_questions(languages)]
    if questions is not None:
        rows = _question_rows(questions, languages[0])
        if survey.id is not None and rows != _as_rows(survey):
            if queries.is_locked(event.id):
                raise FeedbackRefused(
                    "survey_locked",
                    _("The survey has answers already: its questions can no longer be changed."),
                )
            survey.questions.clear()
            db.session.flush()  # the old positions go before the new ones take them
        if survey.id is None or not survey.questions:
            survey.default_language = languages[0]
            survey.questions.extend(
                FeedbackQuestion(position=n, **row) for n, row in enumerate(rows, start=1)
            )
    survey.enabled = data.enabled
    survey.send_at_end = data.send_at_end
    db.session.flush()
    record(
        "feedback.survey",
        event,
        {
            "enabled": survey.enabled,
            "send_at_end": survey.send_at_end,
            "questions": len(survey.questions),
        },
        user_id=by.id,
    )
    return survey


def _insert_requests(rows: list[dict[str, Any]]) -> set[int]:
    """INSERT … ON CONFLICT DO NOTHING: the invitations whose request is new (a request made
    by another run at the same moment is theirs)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (
        insert(FeedbackRequest)
        .on_conflict_do_nothing(index_elements=["invitation_id"])
        .returning(FeedbackRequest.invitation_id)
    )
    return set(db.session.scalars(stmt, rows))


def _ask(event: Event, now: datetime) -> int:
    """Give each participant not asked yet a personal link and queue their email."""
    due = queries.due(event.id)
    if not due:
        return 0
    rows = []
    for invitation_id, _email, _language in due:
        token = new_rsvp_token()
        rows.append(
            {
                "invitation_id": invitation_id,
                "token_hash": digest(token),
                "token_sealed": seal(token),
                "sent_at": now,
                "answered": False,
            }
        )
    new = _insert_requests(rows)
    recipients = [r for r in due if r[0] in new]
    queue_emails(KIND, recipients)
    return len(recipients)


def send_survey(event: Event, *, by: User, now: datetime | None = None) -> int:
    """Send the survey now to the participants not asked yet; returns how many."""
    now = now or utcnow()
    survey = queries.survey_of(event.id)
    if event.is_cancelled:
        raise FeedbackRefused("event_cancelled", _("The event is cancelled."))
    if survey is None or not survey.enabled:
        raise FeedbackRefused("survey_off", _("This event has no survey switched on."))
    if event.starts_at > now:
        raise FeedbackRefused(
            "not_started",
            _("The survey goes to those who attended: the event has not started yet."),
        )
    sent = _ask(event, now)
    record("feedback.send", event, {"recipients": sent}, user_id=by.id)
    return sent


def events_due(now: datetime) -> list[Event]:
    """Published events whose survey goes out at the end, ended in the last SEND_WITHIN_DAYS."""
    return list(
        db.session.scalars(
            sa.select(Event)
            .join(FeedbackSurvey, FeedbackSurvey.event_id == Event.id)
            .where(
                FeedbackSurvey.enabled.is_(True),
                FeedbackSurvey.send_at_end.is_(True),
                Event.status == EventStatus.published,
                Event.ends_at <= now,
                Event.ends_at > now - timedelta(days=SEND_WITHIN_DAYS),
            )
            .order_by(Event.id)
        )
    )


def send_due_surveys(now: datetime | None = None) -> int:
    """The clock's job: each due event's participants not asked yet get the survey (each one
    once, whatever the number of runs). Commits per event; returns the number asked."""
    now = now or utcnow()
    total = 0
    for event in events_due(now):
        sent = _ask(event, now)
        if sent:
            record("feedback.send", event, {"recipients": sent, "by_clock": True}, actor="system")
            total += sent
        db.session.commit()
    return total


def submit_answers(request_row: FeedbackRequest, answers: dict[int, dict[str, Any]]) -> None:
    """Store the answers ({question id: {"scale"|"choice"|"text": value}}) without the person,
    and mark the link as used; 409 `already_answered` for a second time."""
    claimed = db.session.execute(
        sa.update(FeedbackRequest)
        .where(
            FeedbackRequest.id == request_row.id,
            FeedbackRequest.answered.is_(False),
            FeedbackRequest.token_hash.is_not(None),
        )
        .values(answered=True)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise FeedbackRefused("already_answered", already_answered_message())
    invitation = request_row.invitation
    contact = invitation.contact
    organisation = invitation.organisation or contact.organisation
    response = FeedbackResponse(
        id=uuid.uuid4(),
        event_id=invitation.event_id,
        answered_on=(utcnow() + REPORT_OFFSET).date(),
        gender=contact.gender,
        role_category=contact.role_category,
        organisation_kind=organisation.kind if organisation is not None else None,
    )
    response.answers = [
        FeedbackAnswer(question_id=question_id, **value) for question_id, value in answers.items()
    ]
    db.session.add(response)
    db.session.flush()


def already_answered_message() -> str:
    return _("You have answered this survey already: thank you. Each participant answers once.")


def forget_links(invitation_ids: list[int]) -> int:
    """An erased person's survey links stop working (the token and its sealed copy go); the
    request itself says only that the invitation was asked and answered. The answers are not
    touched: nothing links them to the person."""
    if not invitation_ids:
        return 0
    return db.session.execute(
        sa.update(FeedbackRequest)
        .where(FeedbackRequest.invitation_id.in_(invitation_ids))
        .values(token_hash=None, token_sealed=None)
        .execution_options(synchronize_session=False)
    ).rowcount


def on_contact_erased(contact: object, *, invitation_ids: list[int], **_extra: object) -> None:
    """Receiver of `core.signals.contact_erased`: the person's survey links go."""
    forget_links(invitation_ids)
