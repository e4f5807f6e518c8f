"""Reads of the feedback feature: the survey, who is due to be asked, the personal link, counts.

    average_usefulness(None, [7, 8])   # the mean of the usefulness answers (1-5), or None

The results' tables are in `results`."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from ..checkin.models import CheckIn
from ..core.tokens import digest
from ..directory.models import Contact, Language
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from .models import FeedbackAnswer, FeedbackQuestion, FeedbackRequest, FeedbackResponse
from .models import FeedbackSurvey as Survey

#: a link's token as issued (core.tokens.new_rsvp_token): anything else is a miss
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,64}"  # noqa: S105 - a pattern, not a secret


def survey_of(event_id: int) -> Survey | None:
    return db.session.scalar(sa.select(Survey).where(Survey.event_id == event_id))


def survey_languages(event: Event) -> list[str]:
    """The languages of the questions: the event's, the first being the default (required);
    an event without languages has the app's default language."""
    languages = [str(code) for code in event.languages or () if code in Language.__members__]
    return languages or [current_app.config["DEFAULT_LANGUAGE"]]


def is_locked(event_id: int) -> bool:
    """Whether an answer has arrived: the questions can no longer change."""
    stmt = sa.select(FeedbackResponse.id).where(FeedbackResponse.event_id == event_id)
    return bool(db.session.scalar(sa.select(stmt.exists())))


def _attended() -> sa.Exists:
    return sa.select(CheckIn.id).where(CheckIn.invitation_id == Invitation.id).exists()


def _asked() -> sa.Exists:
    return (
        sa.select(FeedbackRequest.id).where(FeedbackRequest.invitation_id == Invitation.id).exists()
    )


def due_statement(event_id: int) -> sa.Select:
    """(invitation id, email, language) of the event's participants not asked yet: checked in
    at least once, not revoked, not erased, with an address. No-shows and those who declined
    (and were not admitted anyway) have no check-in."""
    return (
        sa.select(Invitation.id, Contact.email, Contact.language)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(
            Invitation.event_id == event_id,
            Invitation.status != InvitationStatus.revoked,
            Contact.erased_at.is_(None),
            Contact.email.is_not(None),
            Contact.email != "",
            _attended(),
            ~_asked(),
        )
        .order_by(Invitation.id)
    )


def due(event_id: int) -> list[tuple[int, str | None, str]]:
    return [(r.id, r.email, r.language.value) for r in db.session.execute(due_statement(event_id))]


def due_count(event_id: int) -> int:
    stmt = due_statement(event_id).order_by(None).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt)) or 0


def request_counts(event_id: int) -> tuple[int, int]:
    """(asked, answered) of the event's participants."""
    row = db.session.execute(
        sa.select(
            sa.func.count(FeedbackRequest.id),
            sa.func.count(FeedbackRequest.id).filter(FeedbackRequest.answered.is_(True)),
        )
        .join(Invitation, Invitation.id == FeedbackRequest.invitation_id)
        .where(Invitation.event_id == event_id)
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def request_by_token(token: str) -> FeedbackRequest | None:
    return db.session.scalar(
        sa.select(FeedbackRequest).where(FeedbackRequest.token_hash == digest(token))
    )


def average_usefulness(session: Session | None, event_ids: Iterable[int]) -> float | None:
    """The mean of the answers to the usefulness question (1-5) over these events' surveys,
    every answer weighing one; None when there is none. `session`: the caller's, or None for
    the app's (`db.session`)."""
    return usefulness(session, event_ids)[0]


def usefulness(session: Session | None, event_ids: Iterable[int]) -> tuple[float | None, int]:
    """(`average_usefulness`, how many answers it is the mean of): the results view's average
    feedback indicator, whose mean of one or two answers would give them back."""
    ids = list(event_ids)
    if not ids:
        return None, 0
    session = session or db.session
    value, answers = session.execute(
        sa.select(sa.func.avg(FeedbackAnswer.scale), sa.func.count(FeedbackAnswer.scale))
        .join(FeedbackQuestion, FeedbackQuestion.id == FeedbackAnswer.question_id)
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(
            FeedbackQuestion.key == "usefulness",
            FeedbackResponse.event_id.in_(ids),
            FeedbackAnswer.scale.is_not(None),
        )
    ).one()
    return (None if value is None else float(value)), int(answers or 0)
