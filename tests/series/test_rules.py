"""The days of a series, against dates worked out by hand from a calendar."""

from __future__ import annotations

from datetime import date

import pytest

from reslog_events.series.models import Frequency
from reslog_events.series.rules import (
    MAX_OCCURRENCES,
    InvalidRule,
    Rule,
    check,
    nth_weekday,
    occurrence_days,
)

MONTHLY, WEEKLY = Frequency.monthly, Frequency.weekly
TUESDAY, FRIDAY = 1, 4


def test_every_month_on_the_second_tuesday():
    # January 2027 begins on a Friday: its Tuesdays are the 5th, 12th…; February and March
    # begin on a Monday (2nd Tuesday: the 9th), April on a Thursday (the 13th), May on a
    # Saturday (the 11th)
    rule = Rule(MONTHLY, week_of_month=2, weekday=TUESDAY, occurrences=5)
    assert occurrence_days(rule, date(2027, 1, 12)) == [
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 5, 11),
    ]


def test_the_week_and_weekday_default_to_the_first_events():
    # 12 January 2027 is the second Tuesday of its month
    assert occurrence_days(Rule(MONTHLY, occurrences=3), date(2027, 1, 12)) == [
        date(2027, 2, 9),
        date(2027, 3, 9),
    ]
    # 29 January 2027 is a Friday in the fifth week: the last Friday of each month
    assert occurrence_days(Rule(MONTHLY, until=date(2027, 4, 30)), date(2027, 1, 29)) == [
        date(2027, 2, 26),
        date(2027, 3, 26),
        date(2027, 4, 30),
    ]


def test_every_other_month_and_every_two_weeks():
    # the first Monday every two months from November 2026: January (4th), March (1st)
    rule = Rule(MONTHLY, interval=2, week_of_month=1, weekday=0, occurrences=3)
    assert occurrence_days(rule, date(2026, 11, 2)) == [date(2027, 1, 4), date(2027, 3, 1)]
    # every two weeks until the day of the third (the end day itself is included)
    rule = Rule(WEEKLY, interval=2, until=date(2027, 4, 17))
    assert occurrence_days(rule, date(2027, 3, 20)) == [date(2027, 4, 3), date(2027, 4, 17)]


def test_a_monthly_rule_looks_at_the_first_days_own_month():
    # begun on the first Tuesday of January 2027 (the 5th), held on the last: 26 January first
    rule = Rule(MONTHLY, week_of_month=-1, weekday=TUESDAY, occurrences=3)
    assert occurrence_days(rule, date(2027, 1, 5)) == [date(2027, 1, 26), date(2027, 2, 23)]


def test_nth_weekday_over_a_year_end():
    assert nth_weekday(2026, 12, -1, FRIDAY) == date(2026, 12, 25)
    assert nth_weekday(2027, 2, 4, 6) == date(2027, 2, 28)  # February 2027: four Sundays


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        (Rule(MONTHLY), {"until", "occurrences"}),
        (Rule(MONTHLY, until=date(2027, 6, 1), occurrences=4), {"until", "occurrences"}),
        (Rule(MONTHLY, until=date(2027, 1, 12)), {"until"}),
        (Rule(MONTHLY, until=date(2033, 1, 1)), {"until"}),
        (Rule(MONTHLY, occurrences=1), {"occurrences"}),
        (Rule(WEEKLY, occurrences=MAX_OCCURRENCES + 1), {"occurrences"}),
        (Rule(MONTHLY, interval=13, occurrences=3), {"interval"}),
        # weekly for two years: more than the limit of events
        (Rule(WEEKLY, until=date(2029, 1, 1)), {"until"}),
        # nothing between the first day and the end
        (Rule(MONTHLY, until=date(2027, 1, 31)), {"until"}),
    ],
)
def test_rules_that_make_no_sane_series_are_refused(app, rule, fields):
    with app.test_request_context(), pytest.raises(InvalidRule) as refused:
        check(rule, date(2027, 1, 12))
    assert set(refused.value.fields) == fields
    assert refused.value.status == 422


def test_the_longest_series_allowed(app):
    rule = Rule(WEEKLY, occurrences=MAX_OCCURRENCES)
    with app.test_request_context():
        check(rule, date(2027, 1, 12))
    assert len(occurrence_days(rule, date(2027, 1, 12))) == MAX_OCCURRENCES - 1
