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


class DocumentKind(LabelledEnum):
    file = "file"
    minutes = "minutes"


class Visibility(LabelledEnum):
    """Who may see an item besides the organisers. Each level includes the next one's people:
    attendees are invitees who were checked in."""

    organisers = "organisers"
    invitees = "invitees"
    attendees = "attendees"


labels({DocumentKind.file: _l("File"), DocumentKind.minutes: _l("Minutes")})
labels(
    {
        Visibility.organisers: _l("Organisers only"),
        Visibility.invitees: _l("Everyone invited"),
        Visibility.attendees: _l("Those who attended"),
    }
)


class EventDocument(db.Model):
    """A file attached to an event (agenda, presentation, photo) or minutes written in the app.

    A file's bytes are in the documents storage under `storage_key` (random: the sender's file
    name is only shown, never used as a path); the row is the index of what is stored, and its
    deletion (or its event's) deletes the stored file after the commit (documents.cleanup).
    """

    __tablename__ = "event_documents"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'file' AND storage_key IS NOT NULL AND content_type IS NOT NULL "
            "AND size_bytes IS NOT NULL AND body IS NULL) OR "
            "(kind = 'minutes' AND body IS NOT NULL AND storage_key IS NULL)",
            name="kind_fields",
        ),
        sa.CheckConstraint("size_bytes IS NULL OR size_bytes >= 0", name="size_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility))
    #: a file's shown name (the sender's, made safe: files.display_name); the minutes' title
    title: Mapped[str] = mapped_column(sa.String(200))
    #: files: where the bytes are (random, unique), their sniffed type and size
    storage_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    #: minutes: the text as written (plain text with a few marks: documents.text)
    body: Mapped[str | None] = mapped_column(sa.Text)
    #: who uploaded the file or last wrote the minutes (kept if the account goes: SET NULL)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_file(self) -> bool:
        return self.kind == DocumentKind.file


class MinutesMailing(db.Model):
    """One "send the minutes to the attendees" action. Its `nonce` comes from the confirmation
    form, and is unique: the same confirmation sent twice (a double click, a reload) sends
    nothing the second time."""

    __tablename__ = "minutes_mailings"
    __table_args__ = (sa.CheckConstraint("recipients >= 0", name="recipients_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_documents.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: emails queued
    recipients: Mapped[int] = mapped_column(default=0)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
