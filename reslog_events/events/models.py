from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..directory.models import Organisation
from ..extensions import db


class EventKind(LabelledEnum):
    roundtable = "roundtable"
    forum = "forum"
    workshop = "workshop"
    peer_visit = "peer_visit"
    training = "training"
    study_visit = "study_visit"
    meeting = "meeting"


class EventLevel(LabelledEnum):
    local = "local"
    regional = "regional"
    national = "national"
    international = "international"


class EventStatus(LabelledEnum):
    draft = "draft"
    published = "published"
    cancelled = "cancelled"


class CertificatePolicy(LabelledEnum):
    """Whether and how participants get a certificate of attendance."""

    off = "off"
    on_request = "on_request"
    emailed = "emailed"


labels(
    {
        CertificatePolicy.off: _l("No certificates"),
        CertificatePolicy.on_request: _l("On request (from the invitation page)"),
        CertificatePolicy.emailed: _l("Emailed to every participant when the event ends"),
    }
)

labels(
    {
        EventKind.roundtable: _l("Roundtable"),
        EventKind.forum: _l("Forum"),
        EventKind.workshop: _l("Workshop"),
        EventKind.peer_visit: _l("Peer-to-peer visit"),
        EventKind.training: _l("Training"),
        EventKind.study_visit: _l("Study visit"),
        EventKind.meeting: _l("Meeting"),
    }
)

labels(
    {
        EventLevel.local: _l("Local"),
        EventLevel.regional: _l("Regional"),
        EventLevel.national: _l("National"),
        EventLevel.international: _l("International"),
    }
)

labels(
    {
        EventStatus.draft: _l("Draft"),
        EventStatus.published: _l("Published"),
        EventStatus.cancelled: _l("Cancelled"),
    }
)


class Translatable:
    """Content given in the default language in its own columns and in other languages in
    `translations` ({"ar": {"title": "…", …}}). The one rule of fallback: a language without
    its own text for a field gets the default language's."""

    # (the column itself is declared by each model)
    translations: dict[str, dict[str, str]] | Any

    def has_text_in(self, field: str, language: str | None) -> bool:
        return bool(((self.translations or {}).get(language or "") or {}).get(field))

    def text_in(self, field: str, language: str | None) -> str:
        """`field` in `language`, or in the default language where it has none there."""
        own = (self.translations or {}).get(language or "") or {}
        return own.get(field) or getattr(self, field) or ""


class EventFacts(Translatable):
    """What an event's columns say about it (its zone and local times, cancelled or over, its
    content by language), for the model and for the plain copies some fast pages read
    (rsvp.page_rows)."""

    timezone: str
    starts_at: datetime
    ends_at: datetime
    status: EventStatus

    @property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.cancelled

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= utcnow()

    def has_translation(self, language: str | None) -> bool:
        return self.has_text_in("title", language)

    def title_in(self, language: str | None) -> str:
        """The title in `language`, or the default one where there is no translation."""
        return self.text_in("title", language)

    def description_in(self, language: str | None) -> str:
        """The description in `language`; a translation without one falls back to the
        default description rather than leaving the invitee with none."""
        return self.text_in("description", language)

    def venue_notes_in(self, language: str | None) -> str:
        return self.text_in("venue_notes", language)


class Event(EventFacts, db.Model):
    """A roundtable, forum, workshop, training, meeting or visit. Times are stored in UTC and
    shown in the event's own time zone."""

    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint(
            "reminder_hours IS NULL OR reminder_hours BETWEEN 1 AND 720",
            name="reminder_hours_range",
        ),
        sa.Index("ix_events_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind), index=True)
    level: Mapped[EventLevel] = mapped_column(enum_column(EventLevel), index=True)
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.draft)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: IANA zone in which the event happens, e.g. Europe/Istanbul, Europe/Stockholm
    timezone: Mapped[str] = mapped_column(sa.String(64))
    venue: Mapped[str | None] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(500))
    city: Mapped[str | None] = mapped_column(sa.String(100))
    #: ISO 3166-1 alpha-2
    country: Mapped[str | None] = mapped_column(sa.String(2))
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    #: directions and access, e.g. "Entrance from the garden, 2nd floor"
    venue_notes: Mapped[str | None] = mapped_column(sa.Text)
    #: seats; None for no limit (then nobody is waitlisted)
    capacity: Mapped[int | None] = mapped_column()
    rsvp_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: languages offered (interpretation), e.g. ["tr", "ar"]
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: title, description and venue notes in other languages:
    #: {"ar": {"title": "…", "description": "…", "venue_notes": "…"}}; the columns hold the
    #: default language's, which is the fallback
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        sa.JSON, default=dict, server_default="{}"
    )
    #: a colleague sent instead of an invitee is invited only once an organiser approves
    substitutes_need_approval: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: the union (or other body) hosting the event, for scoping and clash warnings
    host_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    #: hours before the start at which accepted invitees are reminded; None: no reminder
    reminder_hours: Mapped[int | None] = mapped_column(default=24, server_default="24")
    #: certificates of attendance: none, on request (the RSVP page), or emailed at the end
    certificates: Mapped[CertificatePolicy] = mapped_column(
        enum_column(CertificatePolicy),
        default=CertificatePolicy.on_request,
        server_default=CertificatePolicy.on_request.value,
    )
    #: the recurring series (a monthly roundtable) this event is one occurrence of
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_series.id", ondelete="SET NULL"), index=True
    )
    #: shown on the public programme page and feed
    is_public: Mapped[bool] = mapped_column(default=False)
    #: raised on every change invitees must hear about (iCalendar SEQUENCE)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organiser: Mapped[User | None] = relationship()
    host_organisation: Mapped[Organisation | None] = relationship()

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title}>"
