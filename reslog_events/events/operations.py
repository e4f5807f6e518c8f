"""Writes on events: create, change, publish, cancel.

Each write changes the event, flushes, records it in the audit log and sends its signal, all
inside the caller's transaction, so that receivers (the invitation emails queued in the outbox)
commit or roll back with it. The caller commits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.datetimes import moment
from ..core.errors import DomainError
from ..core.signals import (
    event_cancelled,
    event_capacity_changed,
    event_published,
    event_rescheduled,
)
from ..core.validation import cross_field_check
from ..directory.models import Language, Organisation
from ..extensions import db
from .labels import translation_label  # noqa: F401 - and the form's labels with it
from .models import Event, EventStatus
from .schemas import EventIn, stored_translations
from .visibility import is_union_scoped, union_host_ids

TIME_FIELDS = ("starts_at", "ends_at", "rsvp_deadline")
#: a change to one of these in a published event is news for every invitee who has not declined
NOTIFYING_FIELDS = (
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "address",
    "city",
    "country",
    "online_url",
)
_EARLIEST_YEAR, _LATEST_YEAR = 2000, 2200


class EventError(DomainError):
    """A write that cannot be done (answered in one place: core/errors.py)."""


class InvalidEvent(EventError):
    """The values do not fit together (422), with a message per field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(422, "validation_error", _("The body is not valid."), fields)


class EventConflict(EventError):
    """The event's state forbids the change (409), e.g. editing a cancelled event."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(409, code, message)


def resolve_time(value: datetime, zone: ZoneInfo, field: str) -> datetime:
    """The UTC instant of `value`: as given when it has an offset, else read as wall-clock time
    in `zone`. A wall time skipped by a DST change is an error; a repeated one takes the first."""
    if not _EARLIEST_YEAR <= value.year <= _LATEST_YEAR:
        raise InvalidEvent({field: _("Give a year between 2000 and 2200.")})
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    local = value.replace(tzinfo=zone, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != value:
        raise InvalidEvent(
            {
                field: _(
                    "%(time)s does not exist in %(zone)s: the clocks are put forward then.",
                    time=moment(value),
                    zone=zone.key,
                )
            }
        )
    return instant


def _check_times(starts: datetime, ends: datetime, deadline: datetime | None) -> None:
    errors: dict[str, str] = {}
    if ends <= starts:
        errors["ends_at"] = _("The end must be after the start.")
    if deadline is not None and deadline > ends:
        errors["rsvp_deadline"] = _("The answer deadline cannot be after the end of the event.")
    if errors:
        raise InvalidEvent(errors)


def _time_errors(values: dict[str, Any]) -> dict[str, str]:
    """The times' rules on their own, for a form whose other fields failed."""
    try:
        resolved = _resolve_times(values, ZoneInfo(values["timezone"]))
        _check_times(resolved["starts_at"], resolved["ends_at"], resolved["rsvp_deadline"])
    except InvalidEvent as exc:
        return exc.fields
    return {}


def _check_host(
    organisation_id: int | None, actor: User | None, previous: int | None = None
) -> None:
    """The host exists, and a union-scoped user hosts only within their union (an event hosted
    elsewhere would leave their reach, or land in another union's work); moving an event, the
    old host must be theirs too (a co-organiser from another union cannot take it over)."""
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        raise InvalidEvent({"host_organisation_id": _("Unknown organisation.")})
    if actor is None or not is_union_scoped(actor):
        return
    assert actor.union_id is not None
    hosts = set(db.session.scalars(union_host_ids(actor.union_id)))
    if organisation_id not in hosts or (previous not in hosts and previous != organisation_id):
        raise InvalidEvent(
            {
                "host_organisation_id": _(
                    "Choose your union or one of its member organisations as the host."
                )
            }
        )


def check_content_languages(
    languages: list[str] | None, translations: dict[str, Any], prefix: str = "translations"
) -> None:
    """Content only in the event's languages (any of the app's while it names none): a
    translation into a language the event is not held in would reach no one as intended."""
    if not languages:
        return
    names = dict(Language.choices())
    errors = {
        f"{prefix}.{code}.title": _(
            "%(language)s is not one of the event's languages: tick it under Languages, "
            "or leave this language's text empty.",
            language=names.get(code, code),
        )
        for code in translations
        if code not in languages
    }
    if errors:
        raise InvalidEvent(errors)


def _resolve_times(values: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """`values` with its times resolved to UTC; every bad time is reported at once."""
    resolved = dict(values)
    errors: dict[str, str] = {}
    for field in TIME_FIELDS:
        if resolved.get(field) is not None:
            try:
                resolved[field] = resolve_time(resolved[field], zone, field)
            except InvalidEvent as exc:
                errors.update(exc.fields)
    if errors:
        raise InvalidEvent(errors)
    return resolved


# (registered here, after the rules it reuses; this module is loaded with the event views)
cross_field_check(EventIn, ("starts_at", "ends_at", "timezone", "rsvp_deadline"), _time_errors)


def _plain(value: Any) -> Any:
    """A value for the audit log's JSON."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _audit_changes(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    return {field: [_plain(old), _plain(new)] for field, (old, new) in changes.items()}


def lock_event(event_id: int) -> Event | None:
    """The event, its row locked until commit (PostgreSQL), so that concurrent changes to one
    event queue up instead of both notifying the invitees."""
    return db.session.scalar(
        sa.select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def create_event(data: EventIn, organiser: User | None) -> Event:
    """A new event organised by `organiser`; published at once if `data.status` says so. A
    union-scoped organiser's event is hosted by their union unless they name a member."""
    values = _resolve_times(data.model_dump(exclude={"status"}), ZoneInfo(data.timezone))
    _check_times(values["starts_at"], values["ends_at"], values["rsvp_deadline"])
    if values["host_organisation_id"] is None and organiser and is_union_scoped(organiser):
        values["host_organisation_id"] = organiser.union_id
    _check_host(values["host_organisation_id"], organiser, values["host_organisation_id"])
    values["languages"] = [str(language) for language in values["languages"]]
    if values["reminder_hours"] is None:
        # "no reminder": the ORM would leave a None to the column's default (24)
        values["reminder_hours"] = sa.null()
    values["translations"] = stored_translations(data.translations)
    check_content_languages(values["languages"], values["translations"])
    event = Event(**values, status=EventStatus.draft, organiser=organiser, sequence=0)
    db.session.add(event)
    db.session.flush()
    record("event.create", event, {"title": event.title, "kind": event.kind.value})
    if data.status == EventStatus.published:
        publish_event(event)
    return event


def update_event(
    event: Event, values: dict[str, Any], actor: User | None = None
) -> dict[str, tuple[Any, Any]]:
    """Change the fields in `values` (and the status, if given). Returns {field: (old, new)} of
    what really changed. A published event's new time, place or venue notes raise its
    `sequence` and send `event_rescheduled` (notes alone: to the languages whose notes
    changed); `status` published publishes, cancelled cancels. A new host must be within a
    union-scoped `actor`'s union."""
    if event.is_cancelled:
        raise EventConflict("event_cancelled", _("A cancelled event cannot be changed."))
    values = dict(values)
    status = values.pop("status", None)
    if status == EventStatus.cancelled and values:
        raise InvalidEvent({"status": _("Cancel an event on its own, without other changes.")})
    if status == EventStatus.draft and event.status == EventStatus.published:
        raise EventConflict(
            "already_published",
            _("A published event cannot go back to draft; cancel it instead."),
        )
    zone = ZoneInfo(values.get("timezone") or event.timezone)
    values = _resolve_times(values, zone)
    _check_times(
        values.get("starts_at", event.starts_at),
        values.get("ends_at", event.ends_at),
        values.get("rsvp_deadline", event.rsvp_deadline),
    )
    if values.get("host_organisation_id", event.host_organisation_id) != (
        event.host_organisation_id
    ):
        _check_host(values["host_organisation_id"], actor, event.host_organisation_id)
    if values.get("languages") is not None:
        values["languages"] = [str(language) for language in values["languages"]]
    if values.get("translations") is not None:
        values["translations"] = stored_translations(values["translations"])
    if values.get("languages") is not None or values.get("translations") is not None:
        check_content_languages(
            values["languages"] if values.get("languages") is not None else event.languages,
            values["translations"]
            if values.get("translations") is not None
            else event.translations or {},
        )

    changes: dict[str, tuple[Any, Any]] = {}
    for field, new in values.items():
        old = getattr(event, field)
        if old != new:
            changes[field] = (old, new)
            setattr(event, field, new)
    if changes:
        db.session.flush()
        record("event.update", event, {"changes": _audit_changes(changes)})
        news = {field: changes[field] for field in NOTIFYING_FIELDS if field in changes}
        notes = notes_languages(event, changes)
        if event.status == EventStatus.published and (news or notes):
            event.sequence += 1
            db.session.flush()
            extra = {"notes_languages": notes} if notes else {}
            event_rescheduled.send(event, changes=news, **extra)
        if "capacity" in changes:
            old_capacity, new_capacity = changes["capacity"]
            if new_capacity is None or (old_capacity is not None and new_capacity > old_capacity):
                event_capacity_changed.send(event)
    if status == EventStatus.published and event.status != EventStatus.published:
        publish_event(event)
    elif status == EventStatus.cancelled:
        cancel_event(event)
    return changes


def notes_before(event: Event, changes: dict[str, tuple[Any, Any]], language: str) -> str:
    """The venue notes invitees of `language` read before `changes` to `event`."""
    old_default = changes.get("venue_notes", (event.venue_notes, None))[0] or ""
    old_translations = changes.get("translations", (event.translations, None))[0] or {}
    return (old_translations.get(language) or {}).get("venue_notes") or old_default


def notes_languages(event: Event, changes: dict[str, tuple[Any, Any]]) -> list[str]:
    """The languages whose invitees read other venue notes ("Getting there", in every email and
    calendar entry) after `changes` to `event`: the default notes reach every language without
    notes of its own, a translation's notes only its language."""
    if "venue_notes" not in changes and "translations" not in changes:
        return []
    return [
        code.value
        for code in Language
        if notes_before(event, changes, code.value).strip()
        != event.venue_notes_in(code.value).strip()
    ]


def publish_event(event: Event) -> None:
    """Make a draft final: invitations can go out; later changes notify the invitees."""
    if event.is_cancelled:
        raise EventConflict("event_cancelled", _("A cancelled event cannot be published."))
    if event.status == EventStatus.published:
        raise EventConflict("already_published", _("The event is already published."))
    event.status = EventStatus.published
    event.published_at = utcnow()
    db.session.flush()
    record("event.publish", event)
    event_published.send(event)


def cancel_event(event: Event) -> None:
    """Cancel the event: raises its `sequence`; invitees get a calendar cancellation. Cancelling
    twice is a conflict, so the invitees hear it once."""
    if event.is_cancelled:
        raise EventConflict("already_cancelled", _("The event is already cancelled."))
    previous = event.status
    event.status = EventStatus.cancelled
    event.cancelled_at = utcnow()
    event.sequence += 1
    db.session.flush()
    record("event.cancel", event, {"previous_status": previous.value})
    event_cancelled.send(event)
