"""Copy an event to another day, and move a draft occurrence of a series to another day.

    copy = copy_event(event, date(2027, 1, 15), with_invitations=True, actor=user)
    db.session.commit()

Every time of the event (its start and end, the answer deadline, its agenda sessions, its
visit's sites' days) moves by the same number of days on the wall clock of the event's zone, so
a 10:00 session stays at 10:00 across a change of summer time. The copy is a draft: its
invitations (if chosen) are new ones with fresh links and codes, `pending`, and leave only when
it is published; answers, check-ins, certificates and the delegation stay with the original.
"""

from __future__ import annotations

import copy as _copy
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..directory.models import Contact
from ..events.models import Event, EventStatus
from ..events.operations import InvalidEvent, resolve_time
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..invitations.operations import invite_contacts
from ..programme.models import AgendaSession, EventProgramme, ItinerarySite
from ..teams.models import TeamMember

#: the event's own settings a copy takes over as they are
COPIED_FIELDS = (
    "title",
    "kind",
    "level",
    "timezone",
    "venue",
    "venue_notes",
    "address",
    "city",
    "country",
    "online_url",
    "capacity",
    "reminder_hours",
    "certificates",
    "description",
    "substitutes_need_approval",
    "is_public",
    "host_organisation_id",
)


def _shifted(moment: datetime, event: Event, days: int, field: str) -> datetime:
    """`moment` `days` later on the wall clock of the event's zone, as a UTC instant."""
    local = moment.astimezone(event.zone).replace(tzinfo=None) + timedelta(days=days)
    try:
        return resolve_time(local, event.zone, field)  # type: ignore[arg-type]
    except InvalidEvent as exc:
        # a time the clocks skip on that day (02:30 when summer time begins)
        raise InvalidEvent({"starts_on": next(iter(exc.fields.values()))}) from None


def days_to(event: Event, day: date) -> int:
    """Days from the event's first day (in its zone) to `day`."""
    return (day - event.local_starts_at.date()).days


def check_day(event: Event, day: date, field: str = "starts_on") -> None:
    """A copy starts today or later (an event in the past can take no invitations)."""
    if day < utcnow().astimezone(event.zone).date():
        raise InvalidEvent({field: _("Choose a day from today on.")})


def copy_event(
    source: Event,
    starts_on: date,
    *,
    with_invitations: bool,
    actor: User,
    series_id: int | None = None,
) -> Event:
    """A draft copy of `source` starting on `starts_on` (see the module). The copy keeps the
    host; `actor` organises it. Audited on the copy; the caller commits."""
    check_day(source, starts_on)
    days = days_to(source, starts_on)
    event = Event(
        **{field: getattr(source, field) for field in COPIED_FIELDS},
        languages=list(source.languages or []),
        translations=_copy.deepcopy(source.translations or {}),
        starts_at=_shifted(source.starts_at, source, days, "starts_at"),
        ends_at=_shifted(source.ends_at, source, days, "ends_at"),
        rsvp_deadline=(
            _shifted(source.rsvp_deadline, source, days, "rsvp_deadline")
            if source.rsvp_deadline
            else None
        ),
        status=EventStatus.draft,
        organiser=actor,
        sequence=0,
        series_id=series_id,
    )
    if source.reminder_hours is None:
        event.reminder_hours = sa.null()  # "no reminder": None would take the column's default
    db.session.add(event)
    db.session.flush()
    copied = {
        "sessions": _copy_programme(source, event, days),
        "sites": _copy_sites(source, event, days),
        "team": _copy_team(source, event, actor),
        "invitations": _copy_invitations(source, event, actor) if with_invitations else 0,
    }
    record("event.copy", event, {"from_event_id": source.id, "days": days, **copied})
    return event


def _copy_programme(source: Event, event: Event, days: int) -> int:
    settings = db.session.get(EventProgramme, source.id)
    if settings is not None:
        db.session.add(
            EventProgramme(
                event_id=event.id,
                allow_session_choice=settings.allow_session_choice,
                delegation_note=settings.delegation_note,
            )
        )
    sessions = db.session.scalars(
        sa.select(AgendaSession).where(AgendaSession.event_id == source.id)
    ).all()
    for session in sessions:
        db.session.add(
            AgendaSession(
                event_id=event.id,
                title=session.title,
                translations=dict(session.translations or {}),
                description=session.description,
                starts_at=_shifted(session.starts_at, source, days, "starts_at"),
                ends_at=_shifted(session.ends_at, source, days, "ends_at"),
                room_or_site=session.room_or_site,
                speakers=session.speakers,
                language=session.language,
                interpretation=list(session.interpretation or []),
                capacity=session.capacity,
                position=session.position,
            )
        )
    return len(sessions)


_SITE_FIELDS = (
    "position",
    "host_organisation_id",
    "host_name",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "notes",
)


def _copy_sites(source: Event, event: Event, days: int) -> int:
    sites = db.session.scalars(
        sa.select(ItinerarySite).where(ItinerarySite.event_id == source.id)
    ).all()
    for site in sites:
        db.session.add(
            ItinerarySite(
                event_id=event.id,
                day=site.day + timedelta(days=days),
                **{field: getattr(site, field) for field in _SITE_FIELDS},
            )
        )
    return len(sites)


def _copy_team(source: Event, event: Event, actor: User) -> int:
    members = db.session.scalars(
        sa.select(TeamMember.user_id).where(TeamMember.event_id == source.id)
    ).all()
    for user_id in members:
        db.session.add(TeamMember(event_id=event.id, user_id=user_id, added_by_id=actor.id))
    return len(members)


def _copy_invitations(source: Event, event: Event, actor: User) -> int:
    """The list, not the answers: everyone invited and not revoked (walk-ins were not on it;
    erased people are not invited again), each with a new invitation of their own."""
    contact_ids = db.session.scalars(
        sa.select(Invitation.contact_id)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(
            Invitation.event_id == source.id,
            Invitation.status != InvitationStatus.revoked,
            Invitation.is_walk_in.is_(False),
            Contact.erased_at.is_(None),
        )
        .order_by(Invitation.id)
    ).all()
    if not contact_ids:
        return 0
    return invite_contacts(event, list(contact_ids), invited_by=actor).created


def move_draft(event: Event, day: date) -> dict[str, list[str]]:
    """Move a draft (an occurrence of a series not published yet) to `day`, its agenda and
    sites with it; returns the audit's {field: [old, new]}. Drafts notify nobody."""
    assert event.status == EventStatus.draft
    days = days_to(event, day)
    if not days:
        return {}
    old_start = event.starts_at
    for session in db.session.scalars(
        sa.select(AgendaSession).where(AgendaSession.event_id == event.id)
    ):
        session.starts_at = _shifted(session.starts_at, event, days, "starts_at")
        session.ends_at = _shifted(session.ends_at, event, days, "ends_at")
    for site in db.session.scalars(
        sa.select(ItinerarySite).where(ItinerarySite.event_id == event.id)
    ):
        site.day = site.day + timedelta(days=days)
    starts_at = _shifted(event.starts_at, event, days, "starts_at")
    ends_at = _shifted(event.ends_at, event, days, "ends_at")
    if event.rsvp_deadline is not None:
        event.rsvp_deadline = _shifted(event.rsvp_deadline, event, days, "rsvp_deadline")
    event.starts_at, event.ends_at = starts_at, ends_at
    db.session.flush()
    changes = {"starts_at": [old_start.isoformat(), event.starts_at.isoformat()]}
    record("event.update", event, {"changes": changes, "by": "series"})
    return changes
