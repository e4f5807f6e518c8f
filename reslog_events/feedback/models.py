"""The feedback survey of an event, and its answers kept apart from the people who gave them.

Anonymity is built into the tables, not left to the pages:

- `FeedbackResponse` (one per person who answered) holds the event, the day and three coarse
  attributes copied at submission (gender, role, organisation kind) — no invitation, contact or
  user, no time of day. Its key is a random UUID, so neither the key nor (on SQLite, a table
  without rowid) the storage order follows the order of the invitations or of the answers.
- `FeedbackRequest` (one per invitation sent the survey) is the invitation's side: the personal
  link and whether it was used. It names no response; a response names no request.

Nothing therefore joins an answer to a person, however the tables are queried.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..directory.models import Gender, OrganisationKind, RoleCategory
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation

#: the scale questions' range
SCALE = range(1, 6)
TEXT_MAX = 2000


class QuestionKind(LabelledEnum):
    scale = "scale"
    choice = "choice"
    text = "text"


labels(
    {
        QuestionKind.scale: _l("Scale from 1 to 5"),
        QuestionKind.choice: _l("Choice"),
        QuestionKind.text: _l("Free text"),
    }
)


class FeedbackSurvey(db.Model):
    """An event's survey: on or off, sent at the end by the clock or only by hand."""

    __tablename__ = "feedback_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    #: off: nothing is sent and the links answer that the survey is closed
    enabled: Mapped[bool] = mapped_column(default=True)
    #: sent by the clock to those who attended once the event has ended
    send_at_end: Mapped[bool] = mapped_column(default=True)
    #: the language every question has a text in (the others fall back to it)
    default_language: Mapped[str] = mapped_column(sa.String(2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    questions: Mapped[list[FeedbackQuestion]] = relationship(
        back_populates="survey",
        order_by="FeedbackQuestion.position",
        cascade="all, delete-orphan",
    )


class FeedbackQuestion(db.Model):
    """One question, with its text per language; fixed once the first answer arrived."""

    __tablename__ = "feedback_questions"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "position"),
        sa.UniqueConstraint("survey_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_surveys.id", ondelete="CASCADE"), index=True
    )
    #: order on the form, from 1
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    #: a standard question's name ("usefulness", "will_use", "comment"), counted across events
    key: Mapped[str | None] = mapped_column(sa.String(32))
    #: {language: the question}
    texts: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    #: a choice question's options: [{"key": "yes", "texts": {language: label}}]
    options: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)

    survey: Mapped[FeedbackSurvey] = relationship(back_populates="questions")

    def text_in(self, language: str, default: str) -> str:
        return (
            self.texts.get(language) or self.texts.get(default) or next(iter(self.texts.values()))
        )

    def option_labels(self, language: str, default: str) -> list[tuple[str, str]]:
        return [
            (o["key"], o["texts"].get(language) or o["texts"].get(default) or o["key"])
            for o in self.options or ()
        ]


class FeedbackResponse(db.Model):
    """One person's answers to one event's survey, without the person (see the module)."""

    __tablename__ = "feedback_responses"
    # stored in key order on SQLite too (no rowid counting the answers in their order)
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: the day of the answer (in the report zone); never a time of day
    answered_on: Mapped[date]
    #: copied from the contact when answering, for the breakdowns
    gender: Mapped[Gender] = mapped_column(enum_column(Gender))
    role_category: Mapped[RoleCategory] = mapped_column(enum_column(RoleCategory))
    organisation_kind: Mapped[OrganisationKind | None] = mapped_column(
        enum_column(OrganisationKind), nullable=True
    )

    answers: Mapped[list[FeedbackAnswer]] = relationship(cascade="all, delete-orphan")


class FeedbackAnswer(db.Model):
    """The answer to one question: a number from 1 to 5, an option's key, or a text."""

    __tablename__ = "feedback_answers"
    __table_args__ = (
        sa.CheckConstraint("scale IS NULL OR scale BETWEEN 1 AND 5", name="scale_range"),
        sa.CheckConstraint(
            "(CASE WHEN scale IS NULL THEN 0 ELSE 1 END) + (CASE WHEN choice IS NULL THEN 0 "
            "ELSE 1 END) + (CASE WHEN text IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_value",
        ),
        {"sqlite_with_rowid": False},
    )

    response_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("feedback_responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    scale: Mapped[int | None]
    choice: Mapped[str | None] = mapped_column(sa.String(32))
    text: Mapped[str | None] = mapped_column(sa.String(TEXT_MAX))


class FeedbackRequest(db.Model):
    """The survey sent to one invitation: the personal link, and whether it was used. Set up
    once per invitation (unique), so each participant is asked once and answers once."""

    __tablename__ = "feedback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    #: SHA-256 of the link's token, and a sealed copy for the email (core.tokens); both
    #: cleared when the person is erased, so the link stops working
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    token_sealed: Mapped[str | None] = mapped_column(sa.String(255))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the link was used: set by a conditional UPDATE, in the transaction that stores the
    #: answers; deliberately without a time (a time here would point at the day's answers)
    answered: Mapped[bool] = mapped_column(default=False)

    invitation: Mapped[Invitation] = relationship()
