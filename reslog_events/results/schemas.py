"""Request and response models of the results API, shared by its pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from flask_babel import gettext as _
from pydantic import Field, ValidationInfo, field_validator

from ..core.api import Id, IsoDate, Schema
from ..extensions import LANGUAGES

#: the longest period one view compares (with the previous one: twenty years of events)
MAX_PERIOD_DAYS = 3660


def check_period(start: date | None, end: date | None) -> date | None:
    """`end` if the period from `start` to it is one the results compare, else ValueError."""
    if start is not None and end is not None:
        if end < start:
            raise ValueError(_("The end must not be before the start."))
        if (end - start).days >= MAX_PERIOD_DAYS:
            raise ValueError(_("Choose a period of at most ten years."))
    return end


class ResultsQuery(Schema):
    """The period: dates of the events' start in Türkiye time, both inclusive. Without them,
    the latest period with targets that has begun, or this calendar year."""

    start: IsoDate | None = None
    end: IsoDate | None = None
    format: Literal["json", "xlsx"] = "json"
    #: language of the titles and the export's headings (as on every page)
    lang: Literal[LANGUAGES] | None = None  # type: ignore[valid-type]

    @field_validator("end")
    @classmethod
    def _period(cls, end: date | None, info: ValidationInfo) -> date | None:
        return check_period(info.data.get("start"), end)


class PeriodOut(Schema):
    start: date
    end: date


class IndicatorOut(Schema):
    key: str
    title: str
    unit: Literal["count", "percent", "score"]
    #: null when there is nothing to count, or (to coordinators) when hidden as a small cell
    value: int | float | None
    numerator: int | None = None
    denominator: int | None = None
    previous: int | float | None
    #: value − previous (percentage points for shares)
    delta: int | float | None
    target: int | float | None
    #: value as a percentage of the target
    progress: float | None
    suppressed: bool = False
    #: why there is no value, when there is none to count
    empty: str | None = None
    #: how the number is counted
    method: str


class ResultsOut(Schema):
    period: PeriodOut
    previous_period: PeriodOut
    indicators: list[IndicatorOut]


class TargetIn(Schema):
    indicator: str = Field(min_length=1, max_length=40)
    period_start: IsoDate
    period_end: IsoDate
    target: float = Field(ge=0, le=1_000_000)

    @field_validator("period_end")
    @classmethod
    def _period(cls, end: date, info: ValidationInfo) -> date:
        return check_period(info.data.get("period_start"), end)


class TargetPatch(Schema):
    indicator: str | None = Field(None, min_length=1, max_length=40)
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    target: float | None = Field(None, ge=0, le=1_000_000)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class TargetOut(Schema):
    id: int
    indicator: str
    period_start: date
    period_end: date
    target: float
    set_by_id: int | None
    updated_at: datetime


class TargetQuery(Schema):
    indicator: str | None = Field(None, max_length=40)
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=500)


class PilotIn(Schema):
    organisation_id: Id


class PilotOut(Schema):
    organisation_id: int
    name: str
    kind: str
    province: str | None
    added_at: datetime
