"""Reads on the programme: an event's agenda and itinerary, seats, choices, days."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..core.turkish import fold
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..reports.suppression import counts_for_reader
from .models import AgendaSession, DelegationMember, EventProgramme, ItinerarySite, SessionChoice

#: invitees whose chosen sessions hold a seat
CHOOSING_STATUSES = (InvitationStatus.accepted, InvitationStatus.tentative)


def event_days(event: Event, starts_at: datetime | None = None, ends_at: datetime | None = None):
    """The days (in the event's zone) the event touches; an end at midnight ends the day before."""
    zone = event.zone
    first = (starts_at or event.starts_at).astimezone(zone).date()
    end = (ends_at or event.ends_at).astimezone(zone)
    last = (end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range(max((last - first).days, 0) + 1)]


def agenda_for(event: Event) -> list[AgendaSession]:
    """The event's sessions in agenda order: by start, then position."""
    return list(
        db.session.scalars(
            sa.select(AgendaSession)
            .where(AgendaSession.event_id == event.id)
            .order_by(AgendaSession.starts_at, AgendaSession.position, AgendaSession.id)
        )
    )


def sessions_statement(event_id: int) -> sa.Select:
    return (
        sa.select(AgendaSession)
        .where(AgendaSession.event_id == event_id)
        .order_by(AgendaSession.starts_at, AgendaSession.position, AgendaSession.id)
    )


def _room_key(room: str | None) -> str:
    return fold(room or "")


def overlapping_session(
    event: Event,
    starts: datetime,
    ends: datetime,
    room: str | None,
    exclude_id: int | None = None,
) -> AgendaSession | None:
    """A session of the event in the same room (compared Turkish-aware, accents and case
    ignored) whose time overlaps [starts, ends)."""
    stmt = sa.select(AgendaSession).where(
        AgendaSession.event_id == event.id,
        AgendaSession.starts_at < ends,
        AgendaSession.ends_at > starts,
    )
    if exclude_id is not None:
        stmt = stmt.where(AgendaSession.id != exclude_id)
    key = _room_key(room)
    for other in db.session.scalars(stmt.order_by(AgendaSession.starts_at)):
        if _room_key(other.room_or_site) == key:
            return other
    return None


def settings_of(event: Event) -> EventProgramme:
    """The event's programme settings (defaults, unsaved, when none were written)."""
    settings = db.session.get(EventProgramme, event.id)
    if settings is None:
        return EventProgramme(event_id=event.id, allow_session_choice=False, delegation_note="")
    return settings


def seats_taken(session_ids: Iterable[int]) -> dict[int, int]:
    """Seats held per session: choices of accepted or tentative invitations."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(SessionChoice.session_id, sa.func.count())
        .join(Invitation, Invitation.id == SessionChoice.invitation_id)
        .where(SessionChoice.session_id.in_(ids), Invitation.status.in_(CHOOSING_STATUSES))
        .group_by(SessionChoice.session_id)
    )
    return {session_id: count for session_id, count in rows}


def seats_shown(session_ids: Iterable[int], reader: Any) -> dict[int, int | None]:
    """Seats held per session as `reader` may see them: a session's choices are counts of
    people, so to coordinators a small one is hidden (`None`) as in the reports
    (docs/reports.md, "Small cells"); sessions are independent counts (one person may hold
    seats in several), so nothing else is."""
    shown = counts_for_reader(reader, {str(k): v for k, v in seats_taken(session_ids).items()})
    return {int(k): v for k, v in shown.items()}


def choices_of(invitation: Invitation) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(SessionChoice.session_id).where(SessionChoice.invitation_id == invitation.id)
        )
    )


def sessions_attended(invitation: Invitation) -> list[AgendaSession]:
    """The sessions the invitee attends: those chosen where the organiser lets invitees choose
    (and they did), otherwise the whole agenda."""
    agenda = agenda_for(invitation.event)
    if settings_of(invitation.event).allow_session_choice:
        chosen = choices_of(invitation)
        if chosen:
            return [s for s in agenda if s.id in chosen]
    return agenda


@dataclass
class AgendaDay:
    day: date
    sessions: list[AgendaSession] = field(default_factory=list)
    sites: list[ItinerarySite] = field(default_factory=list)


def agenda_days(event: Event, sessions: list[AgendaSession] | None = None) -> list[AgendaDay]:
    """The event's days, each with its sessions and itinerary sites (days without either are
    left out)."""
    days = {day: AgendaDay(day) for day in event_days(event)}
    for session in agenda_for(event) if sessions is None else sessions:
        days.setdefault(session.day, AgendaDay(session.day)).sessions.append(session)
    for site in sites_for(event):
        days.setdefault(site.day, AgendaDay(site.day)).sites.append(site)
    return [d for _, d in sorted(days.items()) if d.sessions or d.sites]


def sites_for(event: Event) -> list[ItinerarySite]:
    return list(
        db.session.scalars(
            sa.select(ItinerarySite)
            .where(ItinerarySite.event_id == event.id)
            .order_by(ItinerarySite.day, ItinerarySite.position, ItinerarySite.id)
        )
    )


def delegation_of(event: Event) -> list[DelegationMember]:
    from ..directory.models import Contact

    return list(
        db.session.scalars(
            sa.select(DelegationMember)
            .join(Invitation, Invitation.id == DelegationMember.invitation_id)
            .join(Contact, Contact.id == Invitation.contact_id)
            .where(Invitation.event_id == event.id)
            .order_by(Contact.sort_key, DelegationMember.id)
        )
    )


def invitees_outside_delegation(event: Event) -> list[Invitation]:
    """Invitations of the event (not declined or revoked, contact not erased) not yet in the
    delegation."""
    from ..directory.models import Contact

    members = sa.select(DelegationMember.invitation_id)
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .join(Contact, Contact.id == Invitation.contact_id)
            .where(
                Invitation.event_id == event.id,
                Invitation.status.not_in((InvitationStatus.declined, InvitationStatus.revoked)),
                Invitation.id.not_in(members),
                Contact.erased_at.is_(None),
            )
            .order_by(Contact.sort_key, Invitation.id)
        )
    )
