"""Request and response models of events, shared by the JSON API and the organisers' forms.

Times: a value with an offset (`2026-05-14T10:00+03:00`, `…Z`) is an instant; one without is a
wall-clock time in the event's `timezone`, resolved by `operations.resolve_time` (which knows the
zone also when a PATCH changes only the times). Responses give times with the zone's offset.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

from flask import current_app, has_app_context
from flask_babel import gettext as _
from pydantic import BeforeValidator, Field, field_validator, model_validator

from ..core.api import Id, IsoDate, Moment, PageQuery, Schema
from ..core.countries import country_codes
from ..directory.models import Language, OrganisationKind
from .models import CertificatePolicy, EventKind, EventLevel, EventStatus

#: offered first in the forms' zone select: where RESLOG events happen
COMMON_TIMEZONES = (
    "Europe/Istanbul",
    "Europe/Stockholm",
    "Asia/Beirut",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Amman",
    "Asia/Baghdad",
    "UTC",
)

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def default_timezone() -> str:
    if has_app_context():
        return current_app.config["DEFAULT_TIMEZONE"]
    return "Europe/Istanbul"


def _iso_text(value: Any) -> Any:
    """Only ISO 8601 text: pydantic alone would also take numbers as Unix timestamps."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) > 40 or not _ISO_DATETIME.match(value.strip()):
        raise ValueError(_("Give a date and time in ISO 8601, e.g. 2026-05-14T10:00 or …+03:00."))
    return value.strip()


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _timezone(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in _zone_names():
        return value.strip()
    raise ValueError(_("Unknown time zone; use an IANA name such as Europe/Istanbul."))


def _country(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().upper() in country_codes():
        return value.strip().upper()
    raise ValueError(_("Use a two-letter ISO 3166 country code such as TR, SE or LB."))


def _web_address(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        parts = urlsplit(text)
        if parts.scheme in ("http", "https") and parts.hostname and " " not in text:
            return text
    raise ValueError(_("Give a web address starting with http:// or https://."))


def _whole_number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(_("Give a whole number."))
    return value


EventTime = Annotated[Moment, BeforeValidator(_iso_text)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
TimeZoneName = Annotated[str, BeforeValidator(_timezone), Field(max_length=64)]
# Before-validators run last-listed first: blanks become None before the checks.
Country = Annotated[str | None, BeforeValidator(_country), BeforeValidator(_blank_to_none)]
WebAddress = Annotated[
    Annotated[str, Field(max_length=500)] | None,
    BeforeValidator(_web_address),
    BeforeValidator(_blank_to_none),
]
Capacity = Annotated[
    Annotated[int, Field(ge=1, le=100_000)] | None,
    BeforeValidator(_whole_number),
    BeforeValidator(_blank_to_none),
]
#: hours before the start at which accepted invitees are reminded (at most 30 days); null: none
ReminderHours = Annotated[
    Annotated[int, Field(ge=1, le=720)] | None,
    BeforeValidator(_whole_number),
    BeforeValidator(_blank_to_none),
]
Description = Annotated[str, Field(max_length=20_000)]
Languages = Annotated[list[Language], Field(max_length=4)]
OrganisationId = Id | None


def _optional_text(max_length: int) -> Any:
    return Annotated[
        Annotated[str, Field(max_length=max_length)] | None, BeforeValidator(_blank_to_none)
    ]


Venue = _optional_text(200)
#: directions and access, e.g. "Entrance from the garden, 2nd floor"
VenueNotes = _optional_text(2000)
Address = _optional_text(500)
City = _optional_text(100)


def _no_description(value: Any) -> Any:
    return "" if value is None else value


def _unique_languages(value: list[Language]) -> list[Language]:
    seen: list[Language] = []
    for language in value:
        if language not in seen:
            seen.append(language)
    return seen


def stripped_title(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class EventTranslation(Schema):
    """The event's title, description and venue notes in one more language."""

    title: Annotated[Title, BeforeValidator(stripped_title)]
    description: Description = ""
    venue_notes: Annotated[str, Field(max_length=2000)] = ""

    _description = field_validator("description", "venue_notes", mode="before")(_no_description)


#: {"ar": {"title": "…", "description": "…", "venue_notes": "…"}}: keys are the event's languages
Translations = Annotated[dict[Language, EventTranslation], Field(max_length=4)]


def _no_translations(value: Any) -> Any:
    return {} if value is None else value


def stored_translations(
    value: dict[Language, EventTranslation] | dict[Language, dict[str, str]],
) -> dict[str, dict[str, str]]:
    """The JSON column's form of validated translations (as parsed, or dumped); venue notes
    only where given."""
    stored = {}
    for language, text in value.items():
        if isinstance(text, EventTranslation):
            text = text.model_dump()
        stored[str(language)] = {"title": text["title"], "description": text["description"]}
        if text.get("venue_notes"):
            stored[str(language)]["venue_notes"] = text["venue_notes"]
    return stored


class EventIn(Schema):
    """A new event. Times without an offset are wall-clock times in `timezone`."""

    title: Title
    kind: EventKind
    level: EventLevel
    #: draft (default) or published; an event is cancelled with POST …/cancel
    status: EventStatus = EventStatus.draft
    starts_at: EventTime
    ends_at: EventTime
    timezone: TimeZoneName = Field(default_factory=default_timezone)
    venue: Venue = None
    address: Address = None
    city: City = None
    country: Country = None
    online_url: WebAddress = None
    #: directions and access in the default language ("Entrance from the garden, 2nd floor")
    venue_notes: VenueNotes = None
    capacity: Capacity = None
    rsvp_deadline: EventTime | None = None
    reminder_hours: ReminderHours = 24
    #: certificates of attendance: off, on_request (the invitation page), emailed (at the end)
    certificates: CertificatePolicy = CertificatePolicy.on_request
    languages: Languages = Field(default_factory=list)
    description: Description = ""
    #: title, description and venue notes in the event's other languages; invitees get their
    #: own language's
    translations: Translations = Field(default_factory=dict)
    #: a colleague sent instead is invited only once an organiser approves
    substitutes_need_approval: bool = False
    is_public: bool = False
    host_organisation_id: OrganisationId = None

    _translations = field_validator("translations", mode="before")(_no_translations)
    _languages = field_validator("languages")(_unique_languages)

    @field_validator("status")
    @classmethod
    def _not_cancelled(cls, value: EventStatus) -> EventStatus:
        if value == EventStatus.cancelled:
            raise ValueError(_("A new event is a draft or published."))
        return value

    _description = field_validator("description", mode="before")(_no_description)


class EventPatch(Schema):
    """Changes to an event: only the fields sent. `status` publishes (or cancels) it.

    Changing a published event's time or place raises its `sequence` and sends every invitee who
    has not declined an updated calendar entry; new venue notes (`venue_notes`, or a
    translation's) do too, for the invitees whose language's notes changed. Naive times are
    read in the event's zone (the new one if `timezone` is sent too); times not sent keep their
    instant when the zone changes.
    """

    # Fields that may not be null have a None default only so that "not sent" is possible;
    # an explicit null fails their type.
    title: Title = None  # type: ignore[assignment]
    kind: EventKind = None  # type: ignore[assignment]
    level: EventLevel = None  # type: ignore[assignment]
    status: EventStatus = None  # type: ignore[assignment]
    starts_at: EventTime = None  # type: ignore[assignment]
    ends_at: EventTime = None  # type: ignore[assignment]
    timezone: TimeZoneName = None  # type: ignore[assignment]
    venue: Venue = None
    address: Address = None
    city: City = None
    country: Country = None
    online_url: WebAddress = None
    venue_notes: VenueNotes = None
    capacity: Capacity = None
    rsvp_deadline: EventTime | None = None
    reminder_hours: ReminderHours = None
    certificates: CertificatePolicy = None  # type: ignore[assignment]
    languages: Languages = None  # type: ignore[assignment]
    description: Description = None  # type: ignore[assignment]
    #: replaces all translations: send every language that should stay
    translations: Translations = None  # type: ignore[assignment]
    substitutes_need_approval: bool = None  # type: ignore[assignment]
    is_public: bool = None  # type: ignore[assignment]
    host_organisation_id: OrganisationId = None

    _translations = field_validator("translations", mode="before")(_no_translations)
    _languages = field_validator("languages")(_unique_languages)

    _description = field_validator("description", mode="before")(_no_description)

    def changes(self) -> dict[str, Any]:
        """The fields sent, as {name: value}."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class EventOut(Schema):
    id: int
    title: str
    kind: EventKind
    level: EventLevel
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str | None
    address: str | None
    city: str | None
    country: str | None
    online_url: str | None
    venue_notes: str | None
    capacity: int | None
    rsvp_deadline: datetime | None
    #: hours before the start at which accepted invitees are reminded; null: no reminder
    reminder_hours: int | None
    certificates: CertificatePolicy
    languages: list[str]
    description: str
    translations: dict[str, EventTranslation]
    substitutes_need_approval: bool
    organiser_id: int | None
    host_organisation_id: int | None
    is_public: bool
    #: the recurring series the event belongs to (`/events/{id}/series`), if any
    series_id: int | None = None
    #: iCalendar SEQUENCE: raised on every change invitees were told about
    sequence: int
    published_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="after")
    def _in_event_zone(self) -> EventOut:
        zone = ZoneInfo(self.timezone)
        self.starts_at = self.starts_at.astimezone(zone)
        self.ends_at = self.ends_at.astimezone(zone)
        if self.rsvp_deadline is not None:
            self.rsvp_deadline = self.rsvp_deadline.astimezone(zone)
        return self


class EventQuery(PageQuery):
    status: EventStatus | None = None
    kind: EventKind | None = None
    level: EventLevel | None = None
    #: events starting on or after this date (days in DEFAULT_TIMEZONE)
    from_: IsoDate | None = Field(None, alias="from")
    #: events starting on or before this date
    to: IsoDate | None = None
    #: words of the title, venue or city (Turkish-aware, accents ignored)
    q: str | None = Field(None, max_length=100)
    #: upcoming: not ended yet (soonest first); past: ended (latest first)
    when: Literal["upcoming", "past"] | None = None


class HostQuery(PageQuery):
    """The event form's host picker: organisations that may host, by name or code."""

    #: words of the name, or a code (Turkish-aware: "cukurova" finds Çukurova)
    q: str | None = Field(None, max_length=100)
    per_page: int = Field(20, ge=1, le=100)


class HostOut(Schema):
    id: int
    name: str
    code: str | None
    #: the name as lists show it: with its code in brackets unless the name shows it already
    label: str
    kind: OrganisationKind
    #: ISO 3166-1 alpha-2
    country: str
