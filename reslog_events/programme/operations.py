"""Writes on the programme: agenda sessions, programme settings, itinerary sites and the
sessions invitees choose. (The delegation and its emails: `itinerary.py`.)

Each write changes, flushes, records an audit entry, inside the caller's transaction; the caller
commits. Refusals are `ProgrammeError` (422, a message per field) or `ProgrammeConflict` (409).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..core.datetimes import clock, moment
from ..directory.models import Organisation
from ..events.models import Event
from ..events.operations import (
    EventConflict,
    InvalidEvent,
    check_content_languages,
    resolve_time,
)
from ..extensions import db
from ..invitations.models import Invitation
from . import queries
from .models import AgendaSession, EventProgramme, ItinerarySite, SessionChoice
from .schemas import SessionIn, SiteIn, stored_session_translations

#: a change to one of these is news for whoever has the session in their calendar
CALENDAR_FIELDS = (
    "title",
    "translations",
    "starts_at",
    "ends_at",
    "room_or_site",
    "speakers",
    "description",
)


class ProgrammeError(InvalidEvent):
    """Values that do not fit (422), with a message per field (`fields`)."""


class ProgrammeConflict(EventConflict):
    """The state forbids the change (409), with a `code` and a `message`."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def resolve_times(event: Event, values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """`values` with the named times as UTC instants (naive ones read in the event's zone)."""
    resolved = dict(values)
    errors: dict[str, str] = {}
    for field in fields:
        if resolved.get(field) is not None:
            try:
                resolved[field] = resolve_time(resolved[field], event.zone, field)
            except InvalidEvent as exc:
                errors.update(exc.fields)
    if errors:
        raise ProgrammeError(errors)
    return resolved


def _editable(event: Event) -> None:
    if event.is_cancelled:
        raise ProgrammeConflict("event_cancelled", _("A cancelled event cannot be changed."))


# Agenda sessions -------------------------------------------------------------------------------


def _check_session(
    event: Event,
    starts: datetime,
    ends: datetime,
    room: str | None,
    exclude_id: int | None = None,
) -> None:
    """Inside the event, ending after it starts, and not overlapping another session in the
    same room (sessions without a room are in the event's main room)."""
    errors: dict[str, str] = {}
    zone = event.timezone
    if ends <= starts:
        errors["ends_at"] = _("The end must be after the start.")
    if starts < event.starts_at or starts >= event.ends_at:
        errors["starts_at"] = _(
            "The session must start within the event (%(start)s – %(end)s, %(zone)s).",
            start=moment(event.starts_at, zone),
            end=moment(event.ends_at, zone),
            zone=zone,
        )
    if ends > event.ends_at and "ends_at" not in errors:
        errors["ends_at"] = _(
            "The session must end by the end of the event (%(end)s, %(zone)s).",
            end=moment(event.ends_at, zone),
            zone=zone,
        )
    if not errors:
        other = queries.overlapping_session(event, starts, ends, room, exclude_id)
        if other is not None:
            errors["starts_at"] = _(
                "“%(title)s” is in the same room from %(start)s to %(end)s.",
                title=other.title,
                start=clock(other.starts_at, zone),
                end=clock(other.ends_at, zone),
            )
    if errors:
        raise ProgrammeError(errors)


def _session_translations(event: Event, translations: dict[Any, Any]) -> dict[str, Any]:
    stored = stored_session_translations(translations)
    try:
        check_content_languages(event.languages, stored)
    except InvalidEvent as exc:
        raise ProgrammeError(exc.fields) from None
    return stored


def create_session(event: Event, data: SessionIn) -> AgendaSession:
    _editable(event)
    values = resolve_times(event, data.model_dump(), ("starts_at", "ends_at"))
    _check_session(event, values["starts_at"], values["ends_at"], values["room_or_site"])
    values["language"] = _plain(values["language"])
    values["interpretation"] = _plain(values["interpretation"])
    values["translations"] = _session_translations(event, values["translations"])
    session = AgendaSession(event=event, sequence=0, **values)
    db.session.add(session)
    db.session.flush()
    record("session.create", session, {"event_id": event.id, "title": session.title})
    return session


def update_session(session: AgendaSession, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Change the fields in `values`; returns {field: (old, new)} of what changed. A change of
    title, time or place raises the session's `sequence`."""
    event = session.event
    _editable(event)
    for field in ("title", "starts_at", "ends_at", "interpretation", "position", "description"):
        if field in values and values[field] is None:
            raise ProgrammeError({field: _("This field cannot be empty.")})
    values = resolve_times(event, values, ("starts_at", "ends_at"))
    for field in ("language", "interpretation"):
        if field in values:
            values[field] = _plain(values[field])
    if values.get("translations") is not None:
        values["translations"] = _session_translations(event, values["translations"])
    _check_session(
        event,
        values.get("starts_at", session.starts_at),
        values.get("ends_at", session.ends_at),
        values.get("room_or_site", session.room_or_site),
        exclude_id=session.id,
    )
    changes: dict[str, tuple[Any, Any]] = {}
    for field, new in values.items():
        old = getattr(session, field)
        if old != new:
            changes[field] = (old, new)
            setattr(session, field, new)
    if changes:
        if any(field in changes for field in CALENDAR_FIELDS):
            session.sequence += 1
        db.session.flush()
        record(
            "session.update",
            session,
            {"changes": {f: [_plain(o), _plain(n)] for f, (o, n) in changes.items()}},
        )
    return changes


def delete_session(session: AgendaSession) -> None:
    _editable(session.event)
    record("session.delete", session, {"event_id": session.event_id, "title": session.title})
    db.session.delete(session)
    db.session.flush()


# Settings ----------------------------------------------------------------------------------------


def programme_of(event: Event) -> EventProgramme:
    """The event's settings row, created on first write."""
    settings = db.session.get(EventProgramme, event.id)
    if settings is None:
        settings = EventProgramme(event_id=event.id, allow_session_choice=False, delegation_note="")
        db.session.add(settings)
        db.session.flush()
    return settings


def update_settings(event: Event, values: dict[str, Any]) -> EventProgramme:
    settings = programme_of(event)
    changes = {}
    for field, new in values.items():
        if new is None:
            raise ProgrammeError({field: _("This field cannot be empty.")})
        if getattr(settings, field) != new:
            changes[field] = [getattr(settings, field), new]
            setattr(settings, field, new)
    if changes:
        db.session.flush()
        record("programme.update", event, {"changes": changes})
    return settings


# Itinerary sites ----------------------------------------------------------------------------------


def _site_values(event: Event, values: dict[str, Any], site: ItinerarySite | None = None):
    errors: dict[str, str] = {}
    day = values.get("day", site.day if site else None)
    if day is not None and day not in queries.event_days(event):
        errors["day"] = _("Choose a day of the event.")
    if values.get("host_organisation_id") is not None:
        host = db.session.get(Organisation, values["host_organisation_id"])
        if host is None:
            errors["host_organisation_id"] = _("Unknown organisation.")
        elif not values.get("host_name"):
            keeps_name = site is not None and "host_name" not in values and site.host_name
            if not keeps_name:
                values["host_name"] = host.name
    name = values.get("host_name", site.host_name if site else None)
    if not name and "host_organisation_id" not in errors:
        errors["host_name"] = _("Name the host, or choose one from the directory.")
    for field in ("notes", "position"):
        if field in values and values[field] is None:
            errors[field] = _("This field cannot be empty.")
    if errors:
        raise ProgrammeError(errors)
    return values


def create_site(event: Event, data: SiteIn) -> ItinerarySite:
    _editable(event)
    values = _site_values(event, data.model_dump())
    site = ItinerarySite(event=event, **values)
    db.session.add(site)
    db.session.flush()
    record("site.create", site, {"event_id": event.id, "host_name": site.host_name})
    return site


def update_site(site: ItinerarySite, values: dict[str, Any]) -> ItinerarySite:
    _editable(site.event)
    values = _site_values(site.event, dict(values), site)
    changes = {}
    for field, new in values.items():
        if getattr(site, field) != new:
            changes[field] = [_plain(getattr(site, field)), _plain(new)]
            setattr(site, field, new)
    if changes:
        db.session.flush()
        audit = {k: [str(v) for v in pair] for k, pair in changes.items()}
        record("site.update", site, {"changes": audit})
    return site


def delete_site(site: ItinerarySite) -> None:
    _editable(site.event)
    record("site.delete", site, {"event_id": site.event_id, "host_name": site.host_name})
    db.session.delete(site)
    db.session.flush()


# Session choices ----------------------------------------------------------------------------------


def choose_sessions(invitation: Invitation, session_ids: list[int]) -> set[int]:
    """Make `session_ids` the sessions the invitee attends (all or nothing). Returns the ids.

    Seats are counted under a row lock on the sessions being added (PostgreSQL), so concurrent
    choices cannot overbook a session."""
    event = invitation.event
    if not queries.settings_of(event).allow_session_choice:
        raise ProgrammeConflict(
            "choice_not_allowed", _("The organiser has not opened sessions for choice.")
        )
    if event.is_cancelled or event.has_ended:
        raise ProgrammeConflict("event_closed", _("The event is over or cancelled."))
    if invitation.status not in queries.CHOOSING_STATUSES:
        raise ProgrammeConflict(
            "not_attending", _("Accept the invitation first, then choose your sessions.")
        )
    wanted = set(session_ids)
    sessions = {s.id: s for s in queries.agenda_for(event)}
    if wanted - set(sessions):
        raise ProgrammeError({"sessions": _("Choose among the sessions of this event.")})
    chosen = sorted((sessions[i] for i in wanted), key=lambda s: s.starts_at)
    for first, second in zip(chosen, chosen[1:], strict=False):
        if second.starts_at < first.ends_at:
            raise ProgrammeError(
                {
                    "sessions": _(
                        "“%(first)s” and “%(second)s” are at the same time.",
                        first=first.title,
                        second=second.title,
                    )
                }
            )
    current = queries.choices_of(invitation)
    added = sorted(wanted - current)
    if added:
        # Lock the sessions being added in id order (no deadlocks), then count their seats.
        db.session.execute(
            sa.select(AgendaSession.id)
            .where(AgendaSession.id.in_(added))
            .order_by(AgendaSession.id)
            .with_for_update()
        )
        taken = queries.seats_taken(added)
        full = [
            sessions[i].title
            for i in added
            if sessions[i].capacity is not None and taken.get(i, 0) >= sessions[i].capacity
        ]
        if full:
            raise ProgrammeConflict(
                "session_full", _("No seats left in: %(titles)s.", titles=", ".join(full))
            )
    removed = current - wanted
    if removed:
        db.session.execute(
            sa.delete(SessionChoice).where(
                SessionChoice.invitation_id == invitation.id,
                SessionChoice.session_id.in_(removed),
            )
        )
    for session_id in added:
        db.session.add(SessionChoice(invitation_id=invitation.id, session_id=session_id))
    if added or removed:
        db.session.flush()
        record(
            "session.choose",
            invitation,
            {"added": added, "removed": sorted(removed)},
            actor="invitee",
        )
    return wanted


def drop_choices(invitation: Invitation, **_kwargs: Any) -> None:
    """Free the seats of an invitee who declined or was revoked (signal receiver)."""
    if invitation.status in queries.CHOOSING_STATUSES:
        return
    db.session.execute(sa.delete(SessionChoice).where(SessionChoice.invitation_id == invitation.id))
