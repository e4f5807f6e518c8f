"""The days of a recurring series, worked out from its rule (no database, no clock).

    >>> rule = Rule(Frequency.monthly, week_of_month=2, weekday=1, occurrences=4)
    >>> occurrence_days(rule, date(2027, 1, 12))   # the 2nd Tuesday of January
    [date(2027, 2, 9), date(2027, 3, 9), date(2027, 4, 13)]

The first day is the event the series was made from; the days returned are the occurrences
after it, so `occurrences` counts that first event too.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from ..core.errors import DomainError
from .models import Frequency

#: no series is longer than this (a monthly roundtable for four years, a weekly one for a year)
MAX_OCCURRENCES = 52
#: nor does it run further than this many years from its first day
MAX_YEARS = 5


class InvalidRule(DomainError):
    """The rule cannot make a series (422), with a message per field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(422, "validation_error", _("The body is not valid."), fields)


@dataclass(frozen=True)
class Rule:
    frequency: Frequency
    interval: int = 1
    #: monthly: 1 to 4, or -1 for the last week of the month
    week_of_month: int | None = None
    #: monthly: Monday 0 … Sunday 6
    weekday: int | None = None
    until: date | None = None
    occurrences: int | None = None

    def completed(self, first_day: date) -> Rule:
        """The rule with a monthly rule's week and weekday taken from the first day when not
        given (the 12th of a month on a Tuesday: the 2nd Tuesday)."""
        if self.frequency != Frequency.monthly:
            return Rule(self.frequency, self.interval, None, None, self.until, self.occurrences)
        week = self.week_of_month
        if week is None:
            week = (first_day.day - 1) // 7 + 1
            week = -1 if week > 4 else week
        weekday = first_day.weekday() if self.weekday is None else self.weekday
        return Rule(self.frequency, self.interval, week, weekday, self.until, self.occurrences)


def nth_weekday(year: int, month: int, week: int, weekday: int) -> date:
    """The `week`-th `weekday` of the month (week -1: the last one)."""
    if week == -1:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def _candidates(rule: Rule, first_day: date):
    """Days by the rule from the first day on; a monthly rule looks at the first day's own
    month too (a series begun on the 1st Tuesday and held on the last has one more that month)."""
    step = 0 if rule.frequency == Frequency.monthly else 1
    while True:
        if rule.frequency == Frequency.weekly:
            yield first_day + timedelta(weeks=rule.interval * step)
        else:
            months = first_day.month - 1 + rule.interval * step
            year, month = first_day.year + months // 12, months % 12 + 1
            assert rule.week_of_month is not None and rule.weekday is not None
            yield nth_weekday(year, month, rule.week_of_month, rule.weekday)
        step += 1


def check(rule: Rule, first_day: date) -> None:
    """Raise InvalidRule, naming the fields, for a rule that cannot make a series."""
    errors: dict[str, str] = {}
    if (rule.until is None) == (rule.occurrences is None):
        message = _("Give either an end date or a number of events, not both.")
        errors["until"] = errors["occurrences"] = message
    if rule.until is not None and rule.until <= first_day:
        errors["until"] = _("The end date must be after the first event's day.")
    if rule.until is not None and rule.until > _years_after(first_day, MAX_YEARS):
        errors["until"] = _("A series can run for at most %(years)s years.", years=MAX_YEARS)
    if rule.occurrences is not None and not 2 <= rule.occurrences <= MAX_OCCURRENCES:
        errors["occurrences"] = _("Give a number of events from 2 to %(max)s.", max=MAX_OCCURRENCES)
    most = 52 if rule.frequency == Frequency.weekly else 12
    if not 1 <= rule.interval <= most:
        errors["interval"] = _("Give a number from 1 to %(max)s.", max=most)
    if errors:
        raise InvalidRule(errors)
    days = occurrence_days(rule, first_day, limit=MAX_OCCURRENCES)
    if not days:
        raise InvalidRule({"until": _("No event falls between the first day and the end date.")})
    if rule.until is not None and len(days) >= MAX_OCCURRENCES:
        raise InvalidRule(
            {
                "until": _(
                    "A series has at most %(max)s events: choose an earlier end date.",
                    max=MAX_OCCURRENCES,
                )
            }
        )


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # the 29th of February
        return day.replace(year=day.year + years, day=28)


def occurrence_days(rule: Rule, first_day: date, limit: int = MAX_OCCURRENCES) -> list[date]:
    """The days after `first_day` the rule gives, in order: until its end date, or until it has
    `occurrences` days with the first one; never more than `limit` (nor past MAX_YEARS)."""
    rule = rule.completed(first_day)
    wanted = (rule.occurrences - 1) if rule.occurrences is not None else limit
    horizon = _years_after(first_day, MAX_YEARS)
    days: list[date] = []
    for day in _candidates(rule, first_day):
        if len(days) >= min(wanted, limit) or day > horizon:
            break
        if rule.until is not None and day > rule.until:
            break
        if day > first_day:
            days.append(day)
    return days
