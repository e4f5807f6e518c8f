"""Request and response models of the programme, shared by the JSON API and the organisers' forms.

Times follow the events' rule: with an offset they are instants, without one they are wall-clock
times in the event's zone (resolved by `operations`, which knows the event).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, EmailStr, Field, field_validator, model_validator

from ..core.api import Id, IsoDate, PageQuery, Schema
from ..core.validation import cross_field_check, field_labels, ordered
from ..directory.models import Language
from ..events.labels import translation_label
from ..events.models import EventKind, EventLevel
from ..events.schemas import Capacity, EventTime, Title, stripped_title


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _text(max_length: int) -> Any:
    """An optional line of text; blank means none."""
    return Annotated[
        Annotated[str, Field(max_length=max_length)] | None, BeforeValidator(_blank_to_none)
    ]


def _unique(values: list[Language]) -> list[Language]:
    return list(dict.fromkeys(values))


class SessionTranslation(Schema):
    """A session's title in one more of the event's languages."""

    title: Annotated[Title, BeforeValidator(stripped_title)]


#: {"ar": {"title": "…"}}: the session's title in the event's other languages
SessionTranslations = Annotated[
    dict[Language, SessionTranslation],
    BeforeValidator(lambda v: {} if v is None else v),
    Field(max_length=4),
]


def stored_session_translations(value: dict[Any, Any]) -> dict[str, dict[str, str]]:
    """The JSON column's form of validated session translations (as parsed, or dumped)."""
    return {
        str(language): {"title": text.title if isinstance(text, Schema) else text["title"]}
        for language, text in value.items()
    }


Position = Annotated[int, Field(ge=0, le=10_000)]
LongText = Annotated[str, BeforeValidator(lambda v: "" if v is None else v), Field(max_length=5000)]


class SessionIn(Schema):
    """A new agenda session. Times without an offset are wall-clock times in the event's zone."""

    title: Title
    starts_at: EventTime
    ends_at: EventTime
    room_or_site: _text(200) = None
    speakers: _text(500) = None
    language: Language | None = None
    interpretation: Annotated[list[Language], Field(max_length=4)] = Field(default_factory=list)
    capacity: Capacity = None
    position: Position = 0
    description: LongText = ""
    #: the title in the event's other languages; invitees and pages get their own language's
    translations: SessionTranslations = Field(default_factory=dict)

    _interpretation = field_validator("interpretation")(_unique)

    @field_validator("language", mode="before")
    @classmethod
    def _no_language(cls, value: Any) -> Any:
        return _blank_to_none(value)


class SessionPatch(Schema):
    """Changes to a session: only the fields sent."""

    title: Title = None  # type: ignore[assignment]
    starts_at: EventTime = None  # type: ignore[assignment]
    ends_at: EventTime = None  # type: ignore[assignment]
    room_or_site: _text(200) = None
    speakers: _text(500) = None
    language: Language | None = None
    interpretation: Annotated[list[Language], Field(max_length=4)] = None  # type: ignore[assignment]
    capacity: Capacity = None
    position: Position = None  # type: ignore[assignment]
    description: LongText = None  # type: ignore[assignment]
    #: replaces all translations: send every language that should stay
    translations: SessionTranslations = None  # type: ignore[assignment]

    _interpretation = field_validator("interpretation")(_unique)

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class SessionOut(Schema):
    id: int
    event_id: int
    title: str
    translations: dict[str, SessionTranslation]
    description: str
    starts_at: datetime
    ends_at: datetime
    #: the event's zone, in which the times are given
    timezone: str
    room_or_site: str | None
    speakers: str | None
    language: str | None
    interpretation: list[str]
    capacity: int | None
    #: seats taken by invitees' choices (accepted or tentative invitations); null to
    #: coordinators when from 1 to REPORT_MIN_CELL − 1 (docs/reports.md, "Small cells")
    seats_taken: int | None = 0
    position: int
    #: iCalendar SEQUENCE of the session's calendar entries
    sequence: int
    updated_at: datetime

    @model_validator(mode="after")
    def _in_event_zone(self) -> SessionOut:
        zone = ZoneInfo(self.timezone)
        self.starts_at = self.starts_at.astimezone(zone)
        self.ends_at = self.ends_at.astimezone(zone)
        return self


class SessionQuery(PageQuery):
    per_page: int = Field(200, ge=1, le=500)


class ProgrammeSettingsIn(Schema):
    """An event's programme settings: only the fields sent change."""

    allow_session_choice: bool = None  # type: ignore[assignment]
    delegation_note: LongText = None  # type: ignore[assignment]


class ProgrammeSettingsOut(Schema):
    event_id: int
    allow_session_choice: bool
    delegation_note: str


class SiteIn(Schema):
    """A site the delegation visits on one day of the event (a day in the event's zone)."""

    day: IsoDate
    host_name: _text(200) = None
    host_organisation_id: Id | None = None
    address: _text(500) = None
    contact_name: _text(200) = None
    contact_phone: _text(40) = None
    contact_email: Annotated[EmailStr | None, BeforeValidator(_blank_to_none)] = None
    notes: LongText = ""
    position: Position = 0


class SitePatch(Schema):
    day: IsoDate = None  # type: ignore[assignment]
    host_name: _text(200) = None
    host_organisation_id: Id | None = None
    address: _text(500) = None
    contact_name: _text(200) = None
    contact_phone: _text(40) = None
    contact_email: Annotated[EmailStr | None, BeforeValidator(_blank_to_none)] = None
    notes: LongText = None  # type: ignore[assignment]
    position: Position = None  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class SiteOut(Schema):
    id: int
    event_id: int
    day: date
    position: int
    host_name: str
    host_organisation_id: int | None
    address: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    notes: str


class MemberIn(Schema):
    """An invitee of the event who travels with the delegation."""

    invitation_id: Id
    arrives_at: EventTime | None = None
    departs_at: EventTime | None = None
    travel_details: _text(500) = None
    visa_notes: _text(1000) = None
    accommodation_notes: _text(1000) = None


class MemberPatch(Schema):
    arrives_at: EventTime | None = None
    departs_at: EventTime | None = None
    travel_details: _text(500) = None
    visa_notes: _text(1000) = None
    accommodation_notes: _text(1000) = None

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class MemberOut(Schema):
    id: int
    invitation_id: int
    contact_id: int
    full_name: str
    organisation: str | None
    language: str
    arrives_at: datetime | None
    departs_at: datetime | None
    travel_details: str | None
    visa_notes: str | None
    accommodation_notes: str | None
    itinerary_sent_at: datetime | None
    #: the event's zone, in which arrival and departure are given
    timezone: str

    @model_validator(mode="after")
    def _in_event_zone(self) -> MemberOut:
        zone = ZoneInfo(self.timezone)
        for name in ("arrives_at", "departs_at", "itinerary_sent_at"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, value.astimezone(zone))
        return self


class SendItineraryIn(Schema):
    """Whom to email the itinerary: the given members, or the whole delegation."""

    member_ids: list[Id] | None = Field(None, max_length=1000)


class SendItineraryOut(Schema):
    queued: int


class ClashQuery(Schema):
    """Check other times than the saved ones (moving an event): both or neither."""

    starts_at: EventTime | None = None
    ends_at: EventTime | None = None


class ClashOut(Schema):
    #: shared_municipalities, same_union or public_holiday
    kind: Literal["shared_municipalities", "same_union", "public_holiday"]
    message: str
    #: the day concerned (in the event's zone), for holidays
    day: date | None = None
    #: the other event, for clashes between events
    other_event_id: int | None = None
    other_event_title: str | None = None


class CalendarQuery(Schema):
    """The calendar page's filters (also in the page's links)."""

    view: Literal["month", "week", "list"] = "month"
    date: IsoDate | None = None
    union: Id | None = None
    level: EventLevel | None = None
    kind: EventKind | None = None
    province: _text(100) = None
    mine: bool = False
    page: int = Field(1, ge=1, le=10_000)

    @field_validator("union", "level", "kind", "date", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)


#: the calendar's filters as its form labels them, naming a filter the page ignores; `month`
#: and `week` are no filters but what a hand-made link tries (`?month=2027-05`): the views
field_labels(
    CalendarQuery,
    labels={
        "view": _l("View"),
        "date": _l("Day"),
        "union": _l("Union"),
        "level": _l("Level"),
        "kind": _l("Kind"),
        "province": _l("Province"),
        "mine": _l("Only my events"),
        "page": _l("Page"),
        "month": _l("Month"),
        "week": _l("Week"),
    },
)
#: the agenda's, itinerary's and delegation's forms' labels, naming the fields in messages
field_labels(
    SessionIn,
    SessionPatch,
    labels={
        "title": _l("Title"),
        "starts_at": _l("Starts"),
        "ends_at": _l("Ends"),
        "room_or_site": _l("Room or site"),
        "speakers": _l("Speakers or hosts"),
        "language": _l("Language spoken"),
        "interpretation": _l("Interpretation into"),
        "capacity": _l("Seats"),
        "position": _l("Order among sessions starting at the same time"),
        "description": _l("Description"),
        "translations": translation_label,
    },
)
field_labels(
    SiteIn,
    SitePatch,
    labels={
        "day": _l("Day"),
        "host_name": _l("Host"),
        "address": _l("Address"),
        "contact_name": _l("Contact person"),
        "contact_phone": _l("Contact phone"),
        "contact_email": _l("Contact email"),
        "notes": _l("Notes"),
        "position": _l("Order within the day"),
    },
)
field_labels(
    MemberIn,
    MemberPatch,
    labels={
        "invitation_id": _l("Invitee"),
        "arrives_at": _l("Arrival"),
        "departs_at": _l("Departure"),
        "travel_details": _l("Travel (flight, train, pick-up)"),
        "visa_notes": _l("Visa and passport notes"),
        "accommodation_notes": _l("Accommodation notes"),
    },
)

# reported with the other fields' errors (the operations check them against the event too)
for _model in (SessionIn, SessionPatch):
    cross_field_check(
        _model,
        ("starts_at", "ends_at"),
        ordered("starts_at", "ends_at", _l("The end must be after the start.")),
    )
for _model in (MemberIn, MemberPatch):
    cross_field_check(
        _model,
        ("arrives_at", "departs_at"),
        ordered("arrives_at", "departs_at", _l("The departure must be after the arrival.")),
    )
