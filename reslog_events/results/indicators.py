"""The programme's results indicators: one registry, each indicator declared once with its title,
its unit and how it is counted. The definition (`method`) is the page's help text and, in
Turkish and English, the XLSX's methods sheet, so the two cannot drift apart.

Every count comes from the attendance report's own definitions (`reports.queries`: cancelled
events and revoked invitations count nowhere; an invitation counts under the organisation the
person belonged to when invited; dates are those of the event's start in Türkiye time), over
one `Period`, which is the report's `Scope` for the period and the reader's reach (a
union-scoped coordinator counts the events hosted by their union and its members).

Adding an indicator is a `register(Indicator(...))` call; see the feedback slot at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..directory.models import Gender, RoleCategory
from ..extensions import db
from ..feedback.queries import usefulness
from ..reports import queries
from ..reports.door import events_in_scope
from ..reports.schemas import AttendanceFilters, GroupBy
from .models import PilotOrganisation


class Unit(StrEnum):
    #: a whole number of people, organisations, unions or provinces
    count = "count"
    #: a share of participants, 0 to 100
    percent = "percent"
    #: an average answer on the 1–5 scale
    score = "score"


#: the targets an administrator may set, per unit (inclusive)
TARGET_RANGES: dict[Unit, tuple[float, float]] = {
    Unit.count: (0, 1_000_000),
    Unit.percent: (0, 100),
    Unit.score: (1, 5),
}


@dataclass
class Measure:
    """An indicator's value over one period, with what it is worked out from."""

    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    #: the counts of people the value reveals (the small-cell rule hides the value, to
    #: coordinators, when one of them is from 1 to REPORT_MIN_CELL − 1)
    people: tuple[int, ...] = ()
    #: why there is no value (shown instead of it), if there is none
    empty: Any = None


class Period:
    """One period's counts, each computed once and shared by the indicators that need it."""

    def __init__(self, start: date, end: date, reach: dict[str, Any]) -> None:
        self.start, self.end = start, end
        self.scope = queries.resolve(AttendanceFilters(from_=start, to=end), **reach)

    @cached_property
    def organisations(self) -> dict[str, Any]:
        """The report by organisation, with its totals (participants, repeat participants)."""
        return queries.table(GroupBy.organisation, self.scope)

    @cached_property
    def participants(self) -> dict[GroupBy, list[dict[str, Any]]]:
        """Distinct participants by gender and by role (the dashboard's split charts)."""
        return queries.participants(self.scope, GroupBy.gender, GroupBy.role_category)

    def reached(self, group_by: GroupBy) -> set[Any]:
        """The keys of the groups with attendance (a check-in) in the period."""
        if group_by == GroupBy.organisation:
            rows = self.organisations["rows"]
        else:
            rows = queries.rows(group_by, self.scope, people=False)
        return {row["key"] for row in rows if row["key"] is not None and row["attended"]}

    @cached_property
    def event_ids(self) -> list[int]:
        """The events counted in the period (not cancelled, within the reader's reach)."""
        return list(db.session.scalars(events_in_scope(self.scope)))


@dataclass(frozen=True)
class Indicator:
    key: str
    title: Any
    unit: Unit
    #: how the number is counted, for people (the page's help, the XLSX's methods sheet)
    method: Any
    compute: Callable[[Period], Measure]
    #: a count or share of people: the small-cell rule applies to `Measure.people`
    of_people: bool = False


#: every indicator, in the order the page, the API and the XLSX list them
INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    INDICATORS[indicator.key] = indicator
    return indicator


def _share(period: Period, group_by: GroupBy, key: str) -> Measure:
    rows = period.participants[group_by]
    total = sum(row["unique_participants"] for row in rows)
    part = sum(row["unique_participants"] for row in rows if row["key"] == key)
    if not total:
        return Measure(None, 0, 0, empty=_l("No participants in this period."))
    return Measure(100 * part / total, part, total, people=(part, total - part))


def _pilot(period: Period) -> Measure:
    pilot = set(db.session.scalars(sa.select(PilotOrganisation.organisation_id)))
    if not pilot:
        return Measure(None, empty=_l("No pilot list yet: an administrator keeps it."))
    reached = len(period.reached(GroupBy.organisation) & pilot)
    return Measure(reached, reached, len(pilot))


def _reached(group_by: GroupBy) -> Callable[[Period], Measure]:
    def compute(period: Period) -> Measure:
        return Measure(len(period.reached(group_by)))

    return compute


def _repeat(period: Period) -> Measure:
    n = period.organisations["totals"]["repeat_participants"]
    return Measure(n, people=(n,))


register(
    Indicator(
        "pilot_municipalities",
        _l("Pilot municipalities reached"),
        Unit.count,
        _l(
            "Organisations on the pilot list (kept by administrators) with at least one "
            "participant checked in at an event of the period, counted under the organisation "
            "the participant belonged to when invited; shown out of the whole pilot list."
        ),
        _pilot,
    )
)
register(
    Indicator(
        "share_women",
        _l("Share of women"),
        Unit.percent,
        _l(
            "Different people who attended an event of the period whose gender is recorded as "
            "female, divided by all different people who attended (those of undisclosed gender "
            "included in the whole)."
        ),
        lambda period: _share(period, GroupBy.gender, Gender.female.value),
        of_people=True,
    )
)
register(
    Indicator(
        "share_refugee_community",
        _l("Share of refugee-community participants"),
        Unit.percent,
        _l(
            "Different people who attended an event of the period whose role in the directory "
            "is Refugee community, divided by all different people who attended. The directory "
            "records no refugee status: the role is what the organisers chose for the person."
        ),
        lambda period: _share(period, GroupBy.role_category, RoleCategory.refugee_community.value),
        of_people=True,
    )
)
register(
    Indicator(
        "repeat_participants",
        _l("Repeat participants"),
        Unit.count,
        _l(
            "Different people who attended two or more events of the period (the attendance "
            "report's Repeat participants)."
        ),
        _repeat,
        of_people=True,
    )
)
register(
    Indicator(
        "unions_reached",
        _l("Unions reached"),
        Unit.count,
        _l(
            "Unions of municipalities with at least one participant checked in at an event of "
            "the period, from the union's own staff or from one of its member organisations."
        ),
        _reached(GroupBy.union),
    )
)
register(
    Indicator(
        "provinces_reached",
        _l("Provinces reached"),
        Unit.count,
        _l(
            "Provinces (of any country) of the organisations with at least one participant "
            "checked in at an event of the period; organisations without a known province are "
            "not counted."
        ),
        _reached(GroupBy.province),
    )
)

AVERAGE_FEEDBACK_TITLE = _l("Average feedback")
AVERAGE_FEEDBACK_METHOD = _l(
    "The average of the answers to the feedback question on usefulness (1 to 5) for the events "
    "of the period, each answer counted once; events without feedback do not count."
)


def _average_feedback(period: Period) -> Measure:
    value, answers = usefulness(None, period.event_ids)
    return Measure(value, people=(answers,))


register(
    Indicator(
        "average_feedback",
        AVERAGE_FEEDBACK_TITLE,
        Unit.score,
        AVERAGE_FEEDBACK_METHOD,
        _average_feedback,
        # the mean of one or two answers gives back what those people answered, so the
        # small-cell rule applies to the number of answers, as on the feedback pages
        of_people=True,
    )
)
