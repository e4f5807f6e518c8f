"""Request and response models of the attendance report, shared by the JSON API, the dashboard
page and the report runs (a run stores exactly these parameters)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import (
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..core.api import Id, IsoDate, Schema
from ..core.enums import LabelledEnum, labels
from ..core.validation import field_labels
from ..events.models import EventKind, EventLevel
from ..extensions import LANGUAGES


class GroupBy(LabelledEnum):
    organisation = "organisation"
    union = "union"
    province = "province"
    country = "country"
    event = "event"
    #: the recurring series of the event (`series_id`); events in none form one row
    series = "series"
    event_kind = "event_kind"
    level = "level"
    gender = "gender"
    role_category = "role_category"
    month = "month"


labels(
    {
        GroupBy.organisation: _l("Organisation"),
        GroupBy.union: _l("Union of municipalities"),
        GroupBy.province: _l("Province"),
        GroupBy.country: _l("Country"),
        GroupBy.event: _l("Event"),
        GroupBy.series: _l("Series"),
        GroupBy.event_kind: _l("Type of event"),
        GroupBy.level: _l("Level"),
        GroupBy.gender: _l("Gender"),
        GroupBy.role_category: _l("Role"),
        GroupBy.month: _l("Month"),
    }
)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


Country = Annotated[str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z]{2}$")]
#: a union's code (TBB) or its organisation id
UnionRef = Annotated[str, StringConstraints(min_length=1, max_length=20)]


class AttendanceFilters(Schema):
    """What to count and how to group it. `from`/`to` are dates of the event's start in the
    report's zone (Europe/Istanbul, UTC+03:00), both inclusive."""

    group_by: GroupBy = GroupBy.organisation
    from_: IsoDate | None = Field(None, alias="from")
    to: IsoDate | None = None
    event_id: Id | None = None
    #: only the events of this recurring series (`/series/…`)
    series_id: Id | None = None
    kind: EventKind | None = None
    level: EventLevel | None = None
    union: UnionRef | None = None
    country: Country | None = None
    #: drill-down: only invitations counted under this organisation
    organisation_id: Id | None = None

    model_config = Schema.model_config | {"populate_by_name": True}

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        # an empty filter field of the dashboard's GET form means "any"; an unknown name stays
        # (and is refused), blank or not
        if isinstance(data, dict):
            known = set(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
            return {
                k: v
                for k, v in data.items()
                if not (k in known and isinstance(v, str) and not v.strip())
            }
        return data

    @field_validator("to")
    @classmethod
    def _range(cls, to: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_")
        if to is not None and start is not None and start > to:
            raise ValueError(_("The end of the period cannot be before its start."))
        return to

    def params(self) -> dict[str, Any]:
        """The filters as the API takes them (for links, exports and report runs)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class AttendanceQuery(AttendanceFilters):
    format: ExportFormat = ExportFormat.json
    #: the CSV's separator: `,` (default, machine CSV) or `;` (Excel with a `;` list separator)
    sep: Literal[",", ";"] = ","
    #: language of the labels and the export's headings (as on every page)
    lang: Literal[LANGUAGES] | None = None  # type: ignore[valid-type]

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in super().params().items() if k not in ("format", "lang", "sep")}


class AttendanceCounts(Schema):
    """The counts; to coordinators a small count, and any count that would reveal one, is
    `null`, and `suppressed` is true (docs/reports.md, small cells)."""

    invited: int | None
    accepted: int | None
    declined: int | None
    tentative: int | None
    no_response: int | None
    waitlisted: int | None
    #: sent a colleague instead (`invited` = the five answers above + this); absent (null)
    #: in report runs compiled before it was counted
    substituted: int | None = None
    attended: int | None
    walk_ins: int | None
    no_shows: int | None
    unique_participants: int | None
    repeat_participants: int | None
    attendance_days: int | None
    suppressed: bool = False


class AttendanceRow(AttendanceCounts):
    key: int | str | None
    label: str


class AttendanceTable(Schema):
    rows: list[AttendanceRow]
    totals: AttendanceCounts


class DoorQuery(AttendanceFilters):
    """The door's refusals: per event, so `group_by` can only be `event`."""

    group_by: Literal[GroupBy.event] = GroupBy.event


class DoorCounts(Schema):
    """Scans refused as `wrong_day` and as `not_attending` (nothing recorded), and check-ins
    admitted anyway (`overrides`); to coordinators small counts are `null` as in the report."""

    wrong_day: int | None
    not_attending: int | None
    overrides: int | None
    suppressed: bool = False


class DoorRow(DoorCounts):
    key: int
    label: str


class DoorTable(Schema):
    rows: list[DoorRow]
    totals: DoorCounts


RunStatus = Literal["queued", "running", "done", "failed"]


class ReportRunOut(Schema):
    id: int
    status: RunStatus
    progress: int
    params: dict[str, Any]
    result: AttendanceTable | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None
    xlsx_url: str | None = None
    page_url: str


#: the dashboard's filters, naming the fields in messages
field_labels(
    AttendanceFilters,
    labels={
        "group_by": _l("Group by"),
        "from": _l("Events starting from"),
        "to": _l("until (inclusive)"),
        "kind": _l("Type of event"),
        "level": _l("Level"),
        "union": _l("Union"),
        "country": _l("Country"),
        "event_id": _l("Event"),
        "series_id": _l("Series"),
        "organisation_id": _l("Organisation"),
    },
)
