from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..events.models import Event
from ..extensions import db


class Audience(LabelledEnum):
    """Whom a message goes to: the answers' states, and the reports' attended and no-shows."""

    accepted = "accepted"
    attended = "attended"
    no_show = "no_show"
    pending = "pending"
    waitlisted = "waitlisted"
    declined = "declined"


labels(
    {
        Audience.accepted: _l("Everyone who accepted"),
        Audience.attended: _l("Everyone who attended"),
        Audience.no_show: _l("Those who accepted but did not come"),
        Audience.pending: _l("Those who have not answered"),
        Audience.waitlisted: _l("Those on the waiting list"),
        Audience.declined: _l("Those who declined"),
    }
)


class EventMessage(db.Model):
    """One message sent to a group of an event's invitees. The emails (one outbox row each)
    point at it, so the text is stored once, however many people it goes to."""

    __tablename__ = "event_messages"
    __table_args__ = (sa.CheckConstraint("recipients >= 0", name="recipients_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[Audience] = mapped_column(enum_column(Audience))
    #: {language: subject}; a reader's language missing → `default_language`
    subject: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    #: {language: body (plain text)}
    body: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    #: the language a reader gets when the message has none of theirs
    default_language: Mapped[str] = mapped_column(sa.String(2))
    #: emails queued for it
    recipients: Mapped[int] = mapped_column(default=0)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    sent_by: Mapped[User | None] = relationship()

    def text_for(self, language: str) -> tuple[str, str, str]:
        """(subject, body, the language they are in) for a reader of `language`."""
        chosen = language if language in self.body else self.default_language
        if chosen not in self.body:
            chosen = next(iter(self.body))
        subject = self.subject.get(chosen) or self.subject.get(self.default_language)
        return subject or next(iter(self.subject.values())), self.body[chosen], chosen
