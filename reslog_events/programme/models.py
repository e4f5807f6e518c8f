"""The programme of an event: its agenda sessions, a peer visit's itinerary (sites per day and
the travelling delegation) and the sessions invitees chose."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.columns import UTCDateTime, utcnow
from ..directory.models import Organisation
from ..events.models import Event, Translatable
from ..extensions import db
from ..invitations.models import Invitation


def _new_uid() -> str:
    return uuid.uuid4().hex


class EventProgramme(db.Model):
    """Programme settings of one event (kept beside the event, one row per event at most)."""

    __tablename__ = "event_programmes"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: invitees may pick the sessions they attend (capacity per session is then enforced)
    allow_session_choice: Mapped[bool] = mapped_column(default=False)
    #: a note to the delegation shown on top of the itinerary (meeting point, what to bring)
    delegation_note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()


class AgendaSession(Translatable, db.Model):
    """One item of an event's agenda: a talk, a panel, a site visit."""

    __tablename__ = "agenda_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("sequence >= 0", name="sequence_non_negative"),
        sa.Index("ix_agenda_sessions_event_starts_at", "event_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: random, stable across edits: part of the calendar entries' UIDs
    uid: Mapped[str] = mapped_column(sa.String(32), unique=True, default=_new_uid)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    #: the title in the event's other languages: {"ar": {"title": "…"}}
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        sa.JSON, default=dict, server_default="{}"
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the room, or the site of a visit; sessions in the same room may not overlap
    room_or_site: Mapped[str | None] = mapped_column(sa.String(200))
    #: speakers, moderators or hosts, as written by the organiser
    speakers: Mapped[str | None] = mapped_column(sa.String(500))
    #: language spoken (tr, en, ar, sv), None when not said
    language: Mapped[str | None] = mapped_column(sa.String(2))
    #: languages interpreted into, e.g. ["ar", "en"]
    interpretation: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: seats when invitees choose sessions; None for no limit
    capacity: Mapped[int | None] = mapped_column()
    #: order among sessions that start at the same time
    position: Mapped[int] = mapped_column(default=0)
    #: raised on every change of title, time or place (iCalendar SEQUENCE of its entries)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.event.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.event.zone)

    @property
    def day(self) -> date:
        """The day (in the event's zone) the session starts on."""
        return self.local_starts_at.date()

    def title_in(self, language: str | None) -> str:
        return self.text_in("title", language)

    def __repr__(self) -> str:
        return f"<AgendaSession {self.id} event={self.event_id} {self.title}>"


class ItinerarySite(db.Model):
    """A place a peer visit's delegation goes to on one day."""

    __tablename__ = "itinerary_sites"
    __table_args__ = (sa.Index("ix_itinerary_sites_event_day", "event_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    #: the day of the visit, in the event's zone
    day: Mapped[date] = mapped_column(sa.Date)
    #: order of the sites within the day
    position: Mapped[int] = mapped_column(default=0)
    #: the host from the directory, if it is there
    host_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    #: the host's name as shown (a partner not in the directory, or a department)
    host_name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(500))
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    host_organisation: Mapped[Organisation | None] = relationship()


class DelegationMember(db.Model):
    """An invitee who travels with a visit's delegation."""

    __tablename__ = "delegation_members"
    __table_args__ = (
        sa.CheckConstraint(
            "departs_at IS NULL OR arrives_at IS NULL OR departs_at > arrives_at",
            name="departs_after_arrival",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    arrives_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    departs_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: flight or train numbers, pick-up
    travel_details: Mapped[str | None] = mapped_column(sa.String(500))
    #: what the organiser needs to know: visa status, passport, accommodation, room sharing
    visa_notes: Mapped[str | None] = mapped_column(sa.String(1000))
    accommodation_notes: Mapped[str | None] = mapped_column(sa.String(1000))
    #: the calendar entries last emailed, {uid: {sequence, fingerprint, ...}}: an update raises
    #: SEQUENCE of what changed and cancels what was dropped
    sent_entries: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    itinerary_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    invitation: Mapped[Invitation] = relationship()


class SessionChoice(db.Model):
    """An invitee will attend this session."""

    __tablename__ = "session_choices"
    __table_args__ = (sa.UniqueConstraint("invitation_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()
    session: Mapped[AgendaSession] = relationship()
