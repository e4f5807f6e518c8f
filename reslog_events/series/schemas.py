"""Request and response models of copies and series (the API and the pages' forms)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Field, model_validator

from ..core.api import IsoDate, Schema
from ..events.models import EventStatus
from ..events.schemas import EventOut
from .models import Frequency
from .rules import MAX_OCCURRENCES, Rule


def _whole_number(value: Any) -> Any:
    if isinstance(value, bool | float):
        raise ValueError("Input should be a valid integer")
    return value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _optional_number(low: int, high: int) -> Any:
    return Annotated[
        Annotated[int, Field(ge=low, le=high)] | None,
        BeforeValidator(_whole_number),
        BeforeValidator(_blank_to_none),
    ]


class CopyIn(Schema):
    """A copy of the event as a new draft starting on `starts_on` (the event's zone)."""

    starts_on: IsoDate
    #: invite the same people again (new invitations, not sent until the copy is published)
    with_invitations: bool = False


class RuleIn(Schema):
    """A series's rule: weekly every `interval` weeks, or monthly every `interval` months on the
    `week_of_month`-th (-1: last) `weekday` (0 Monday … 6 Sunday; both default to the first
    event's); ending on `until` or after `occurrences` events (the first one included)."""

    frequency: Frequency
    interval: Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=52)] = 1
    week_of_month: _optional_number(-1, 4) = None  # type: ignore[valid-type]
    weekday: _optional_number(0, 6) = None  # type: ignore[valid-type]
    until: Annotated[IsoDate | None, BeforeValidator(_blank_to_none)] = None
    occurrences: _optional_number(2, MAX_OCCURRENCES) = None  # type: ignore[valid-type]
    #: the new drafts invite the first event's list again (not sent until published)
    with_invitations: bool = False

    def rule(self) -> Rule:
        week = self.week_of_month if self.week_of_month != 0 else None
        return Rule(self.frequency, self.interval, week, self.weekday, self.until, self.occurrences)


class ChangeIn(RuleIn):
    #: only say what would change (the confirmation), write nothing
    dry_run: bool = False


class CancelIn(Schema):
    dry_run: bool = False


class OccurrenceOut(Schema):
    id: int
    title: str
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    timezone: str

    @model_validator(mode="after")
    def _in_event_zone(self) -> OccurrenceOut:
        zone = ZoneInfo(self.timezone)
        self.starts_at = self.starts_at.astimezone(zone)
        self.ends_at = self.ends_at.astimezone(zone)
        return self


class SeriesOut(Schema):
    id: int
    frequency: Frequency
    interval: int
    week_of_month: int | None
    weekday: int | None
    until: date | None
    occurrences: int | None
    first_day: date
    created_by_id: int | None
    created_at: datetime
    cancelled_at: datetime | None
    #: the series's events the caller may see, first to last
    events: list[OccurrenceOut] = Field(default_factory=list)


class MovedOut(Schema):
    id: int
    starts_on: date


class CancelledOut(Schema):
    id: int
    #: invitees who get the calendar cancellation
    notified: int


class PlanOut(Schema):
    """What a change or cancellation did (or, with `dry_run`, would do)."""

    dry_run: bool
    moved: list[MovedOut]
    created: list[date]
    #: ids of the drafts made (empty with dry_run)
    created_ids: list[int]
    cancelled: list[CancelledOut]
    #: ids of the occurrences left as they are (started, or published)
    kept: list[int]


__all__ = ["CancelIn", "ChangeIn", "CopyIn", "EventOut", "PlanOut", "RuleIn", "SeriesOut"]
