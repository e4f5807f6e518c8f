"""The attendance facts, rollup and presence tables behind the report: kept current by the
triggers as check-ins, answers and invitations change (equal to a rebuild), and read for whole
months with the same numbers as the facts. The world is conftest.py's, its counts test_counts.py's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.reports.attendance_table import counts, get


def test_counts_follow_changes_through_the_triggers(api, world, app):
    """A late check-in, a deleted check-in, a changed answer and a new invitation are counted
    at once, and the facts table equals a rebuild from scratch."""
    import sqlalchemy as sa

    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.reports.operations import rebuild_attendance_facts

    inv = world.invitations
    # I2 turns up late after all: no longer a no-show
    db.session.add(
        CheckIn(event_id=inv["I2"].event_id, invitation_id=inv["I2"].id, day=date(2024, 3, 5))
    )
    # I8's second day was scanned by mistake
    second = db.session.scalars(
        sa.select(CheckIn).where(CheckIn.invitation_id == inv["I8"].id).order_by(CheckIn.day.desc())
    ).first()
    db.session.delete(second)
    # Zeynep accepts E1 late (pending → accepted)
    inv["I5"].status = InvitationStatus.accepted
    db.session.commit()
    data = get(api)
    assert data["totals"] == counts(13, 7, 2, 2, 1, 1, 7, 2, 1, 5, 7, repeat=2)
    # E4 is moved into the past: its accepted I14 becomes a no-show, in another month
    e4 = world.events["E4"]
    e4.starts_at = datetime(2023, 1, 10, 6, 0, tzinfo=UTC)
    e4.ends_at = datetime(2023, 1, 10, 14, 0, tzinfo=UTC)
    db.session.commit()
    assert get(api)["totals"]["no_shows"] == 2
    months = {row["key"]: row["invited"] for row in get(api, group_by="month")["rows"]}
    assert months == {"2023-01": 3, "2024-03": 6, "2024-04": 4}

    def snapshot():
        return [
            sorted(tuple(r) for r in db.session.execute(sa.text(f"SELECT * FROM {table}")))
            for table in ("attendance_facts", "attendance_rollup", "attendance_presence")
        ]

    kept = snapshot()
    assert rebuild_attendance_facts() == 16
    db.session.commit()
    rebuilt = snapshot()
    assert rebuilt[0] == kept[0]
    # the triggers may leave rows of zeros behind (a month emptied); the rebuild does not
    assert rebuilt[1] == [row for row in kept[1] if any(row[2:])]
    # who attended in which month: E4's move, I2's late and I8's undone scan all followed
    assert rebuilt[2] == kept[2]
    assert len(kept[2]) == 7
    # deleting an invitation removes its fact
    db.session.delete(inv["I15"])
    db.session.commit()
    assert get(api)["totals"]["declined"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "2024-03-01", "to": "2024-04-30"},
        {"from": "2024-04-01"},
        {"to": "2024-03-31"},
        {"union": "TBB"},
        {"country": "SE"},
    ],
)
@pytest.mark.parametrize("group_by", ["organisation", "union", "province", "country", "month"])
def test_the_rollup_agrees_with_the_facts(app, world, group_by, params):
    """Whole months of organisations are read from attendance_rollup (and the per-month
    trend's participants from attendance_presence): the same numbers."""
    from reslog_events.reports import queries
    from reslog_events.reports.schemas import AttendanceFilters, GroupBy

    scope = queries.resolve(AttendanceFilters.model_validate(params))
    assert queries.whole_months(scope) is not None
    fast = queries._grouped(GroupBy(group_by), scope, queries.utcnow(), use_rollup=True)
    slow = queries._grouped(GroupBy(group_by), scope, queries.utcnow(), use_rollup=False)
    key = lambda row: (row["key"] is None, str(row["key"]))  # noqa: E731
    assert sorted(fast[0], key=key) == sorted(slow[0], key=key)
    assert fast[1] == slow[1]


@pytest.mark.parametrize(
    "params",
    [{}, {"from": "2024-04-01"}, {"union": "TBB"}, {"country": "SE"}, {"from": "2024-03-02"}],
)
@pytest.mark.parametrize("group_by", ["gender", "role_category"])
def test_participants_for_the_charts_agree_with_the_report(app, world, group_by, params):
    """The dashboard's gender and role charts count people from attendance_presence over
    whole months (the facts otherwise): the report's unique_participants, in its order."""
    from reslog_events.reports import queries
    from reslog_events.reports.schemas import AttendanceFilters, GroupBy

    scope = queries.resolve(AttendanceFilters.model_validate(params))
    with app.test_request_context("/?lang=tr"):  # the labels are translated
        report = [
            (row["key"], row["label"], row["unique_participants"])
            for row in queries.rows(GroupBy(group_by), scope)
            if row["unique_participants"]
        ]
        found = queries.participants(scope, GroupBy.gender, GroupBy.role_category)
        charts = [
            (row["key"], row["label"], row["unique_participants"])
            for row in found[GroupBy(group_by)]
            if row["unique_participants"]
        ]
        # the bar and line charts' rows leave the people out, the rest is the same
        for chart_group in ("organisation", "month"):
            full = queries.rows(GroupBy(chart_group), scope)
            lean = queries.rows(GroupBy(chart_group), scope, people=False)
            people = {"unique_participants": 0, "repeat_participants": 0}
            assert lean == [{**row, **people} for row in full]
    assert charts == report
    assert report  # the fixture has participants in every one of these scopes


def test_day_ranges_and_event_filters_read_the_facts(app, world):
    from reslog_events.reports import queries
    from reslog_events.reports.schemas import AttendanceFilters

    for params in ({"from": "2024-03-02"}, {"to": "2024-03-30"}, {"kind": "forum"}):
        scope = queries.resolve(AttendanceFilters.model_validate(params))
        assert queries.whole_months(scope) is None
