"""The attendance report against tables computed by hand from the world in conftest.py.

Counted invitations (cancelled E3 and revoked I6 count nowhere), with days attended:

    inv  event org   contact status      walk-in days  attended walk_in no_show
    I1   E1    Şişli C1      accepted            1     1
    I2   E1    Şişli C2      accepted            0                      1
    I3   E1    Gaz.  C3      declined            0
    I4   E1    Malmö C4      tentative           1     1        1
    I5   E1    =Göç  C5      pending             0
    I7   E1    Gaz.  C7      pending     yes     1     1        1
    I8   E2    Şişli C1      accepted            2     1
    I9   E2    Gaz.  C2      accepted            1     1
    I10  E2    TBB   C6      accepted            1     1
    I11  E2    Gaz.  C3      waitlisted          0
    I14  E4    =Göç  C5      accepted            0          (E4 has not ended: no no-show)
    I15  E4    Malmö C4      declined            0
    I16  E4    Gaz.  C3      tentative           0

Walk-ins are invitations (not revoked): they count in `invited` and, not having answered, in
`no_response`, as the invitations list shows them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

COLUMNS = (
    "invited",
    "accepted",
    "declined",
    "tentative",
    "no_response",
    "waitlisted",
    "attended",
    "walk_ins",
    "no_shows",
    "unique_participants",
    "attendance_days",
)


def counts(
    invited=0,
    accepted=0,
    declined=0,
    tentative=0,
    no_response=0,
    waitlisted=0,
    attended=0,
    walk_ins=0,
    no_shows=0,
    unique=0,
    days=0,
    repeat=0,
    substituted=0,
):
    extra = {"repeat_participants": repeat, "substituted": substituted, "suppressed": False}
    return extra | dict(
        zip(
            COLUMNS,
            (
                invited,
                accepted,
                declined,
                tentative,
                no_response,
                waitlisted,
                attended,
                walk_ins,
                no_shows,
                unique,
                days,
            ),
            strict=True,
        )
    )


# Ayşe (C1) attended E1 and E2: the one person who came to two events
TOTALS = counts(13, 6, 2, 2, 2, 1, attended=6, walk_ins=2, no_shows=1, unique=5, days=7, repeat=1)


def get(api, **params):
    resp = api("coordinator").get("/api/v1/reports/attendance", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json


def assert_table(actual, expected_rows, expected_totals):
    """Cell by cell, in order: [(key, label or None, counts)]."""
    got = [(row["key"], row["label"]) for row in actual["rows"]]
    want = [
        (key, label if label is not None else got_label)
        for (key, label, _), (
            _k,
            got_label,
        ) in zip(expected_rows, got, strict=False)
    ]
    assert got == want
    assert len(actual["rows"]) == len(expected_rows)
    for row, (key, _label, expected) in zip(actual["rows"], expected_rows, strict=True):
        for column in COLUMNS:
            assert row[column] == expected[column], (key, column)
    for column in COLUMNS:
        assert actual["totals"][column] == expected_totals[column], ("totals", column)


def test_by_organisation(api, world):
    o = world.orgs
    assert_table(
        get(api, group_by="organisation"),
        [
            (
                o["O2"].id,
                "Gaziantep Büyükşehir Belediyesi",
                counts(5, 1, 1, 1, 1, 1, 2, 1, 0, 2, 2),
            ),
            (o["O4"].id, "=Göç Derneği", counts(2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0)),
            (o["O3"].id, "Malmö stad", counts(2, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1)),
            (o["O1"].id, "Şişli Belediyesi", counts(3, 3, 0, 0, 0, 0, 2, 0, 1, 1, 3)),
            (o["TBB"].id, "Türkiye Belediyeler Birliği", counts(1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1)),
        ],
        TOTALS,
    )


def test_default_group_is_organisation_and_totals_are_exact(api, world):
    data = get(api)
    assert [row["label"] for row in data["rows"]][0] == "Gaziantep Büyükşehir Belediyesi"
    assert data["totals"] == {**TOTALS}


def test_by_union_counts_an_organisation_in_both_and_totals_stay_distinct(api, world):
    o = world.orgs
    data = get(api, group_by="union")
    assert_table(
        data,
        [
            (o["MBB"].id, "Marmara Belediyeler Birliği", counts(3, 3, 0, 0, 0, 0, 2, 0, 1, 1, 3)),
            (o["TBB"].id, "Türkiye Belediyeler Birliği", counts(9, 5, 1, 1, 1, 1, 5, 1, 1, 4, 6)),
            (None, "Not in a union", counts(4, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1)),
        ],
        TOTALS,
    )
    assert sum(row["invited"] for row in data["rows"]) == 16 > data["totals"]["invited"] == 13


def test_by_month_uses_istanbul_time(api, world):
    # E2 starts 2024-03-31 21:30 UTC, which is 1 April in Istanbul
    assert_table(
        get(api, group_by="month"),
        [
            ("2024-03", "March 2024", counts(6, 2, 1, 1, 2, 0, 3, 2, 1, 3, 3)),
            ("2024-04", "April 2024", counts(4, 3, 0, 0, 0, 1, 3, 0, 0, 3, 4)),
            ("2099-06", "June 2099", counts(3, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)),
        ],
        TOTALS,
    )


def test_by_gender(api, world):
    assert_table(
        get(api, group_by="gender"),
        [
            ("female", "Female", counts(8, 3, 1, 1, 2, 1, 3, 1, 0, 2, 4)),
            ("male", "Male", counts(5, 3, 1, 1, 0, 0, 3, 1, 1, 3, 3)),
        ],
        TOTALS,
    )


def test_by_role_category(api, world):
    assert_table(
        get(api, group_by="role_category"),
        [
            ("elected_official", "Elected official", counts(2, 2, 0, 0, 0, 0, 2, 0, 0, 1, 3)),
            ("municipal_staff", "Municipal staff", counts(6, 3, 1, 1, 0, 1, 2, 0, 1, 2, 2)),
            ("civil_society", "Civil society", counts(2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0)),
            ("refugee_community", "Refugee community", counts(1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1)),
            (
                "international_partner",
                "International partner",
                counts(2, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1),
            ),
        ],
        TOTALS,
    )


def test_by_event_kind_and_level(api, world):
    e1 = counts(6, 2, 1, 1, 2, 0, 3, 2, 1, 3, 3)
    e2 = counts(4, 3, 0, 0, 0, 1, 3, 0, 0, 3, 4)
    e4 = counts(3, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
    assert_table(
        get(api, group_by="event_kind"),
        [("forum", "Forum", e1), ("workshop", "Workshop", e2), ("training", "Training", e4)],
        TOTALS,
    )
    assert_table(
        get(api, group_by="level"),
        [
            ("regional", "Regional", e2),
            ("national", "National", e1),
            ("international", "International", e4),
        ],
        TOTALS,
    )


def test_by_country(api, world):
    assert_table(
        get(api, group_by="country"),
        [
            ("SE", "Sweden", counts(2, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1)),
            ("TR", None, counts(11, 6, 1, 1, 2, 1, 5, 1, 1, 4, 6)),
        ],
        TOTALS,
    )


def test_date_range_is_of_the_event_start_in_istanbul(api, world):
    o = world.orgs
    april = counts(4, 3, 0, 0, 0, 1, 3, 0, 0, 3, 4)
    assert_table(
        get(api, group_by="organisation", **{"from": "2024-04-01", "to": "2024-04-30"}),
        [
            (o["O2"].id, None, counts(2, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1)),
            (o["O1"].id, None, counts(1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 2)),
            (o["TBB"].id, None, counts(1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1)),
        ],
        april,
    )
    # to=31 March leaves E2 out although it starts on 31 March in UTC
    march = get(api, group_by="event", to="2024-03-31")
    assert [row["key"] for row in march["rows"]] == [world.events["E1"].id]
    assert march["totals"]["invited"] == 6


def test_union_filter_by_province(api, world):
    assert_table(
        get(api, group_by="province", union="tbb"),
        [
            ("TR-06", "Ankara", counts(1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1)),
            ("TR-27", "Gaziantep", counts(5, 1, 1, 1, 1, 1, 2, 1, 0, 2, 2)),
            ("TR-34", "İstanbul", counts(3, 3, 0, 0, 0, 0, 2, 0, 1, 1, 3)),
        ],
        counts(9, 5, 1, 1, 1, 1, 5, 1, 1, 4, 6),
    )
    by_id = get(api, group_by="province", union=str(world.orgs["TBB"].id))
    assert by_id["totals"]["invited"] == 9


def test_country_filter_by_event(api, world):
    e = world.events
    assert_table(
        get(api, group_by="event", country="se"),
        [
            (e["E1"].id, "Yerel Yönetimler Forumu", counts(1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1)),
            (e["E4"].id, "Gelecek Eğitim", counts(1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0)),
        ],
        counts(2, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1),
    )


def test_kind_filter_by_gender(api, world):
    assert_table(
        get(api, group_by="gender", kind="workshop"),
        [
            ("female", "Female", counts(2, 1, 0, 0, 0, 1, 1, 0, 0, 1, 2)),
            ("male", "Male", counts(2, 2, 0, 0, 0, 0, 2, 0, 0, 2, 2)),
        ],
        counts(4, 3, 0, 0, 0, 1, 3, 0, 0, 3, 4),
    )


def test_cancelled_event_counts_nowhere(api, world):
    data = get(api, event_id=world.events["E3"].id)
    assert data["rows"] == []
    assert data["totals"] == counts()


def test_level_filter_and_event_filter(api, world):
    e = world.events
    data = get(api, group_by="event", level="regional")
    assert [row["key"] for row in data["rows"]] == [e["E2"].id]
    two_day = get(api, group_by="organisation", event_id=e["E2"].id)
    assert two_day["totals"]["attendance_days"] == 4
    assert two_day["totals"]["attended"] == 3


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


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "district"}, "group_by"),
        ({"from": "2024-13-01"}, "from"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "to"),
        ({"kind": "party"}, "kind"),
        ({"level": "galactic"}, "level"),
        ({"country": "Turkey"}, "country"),
        ({"event_id": "abc"}, "event_id"),
        ({"event_id": "999999"}, "event_id"),
        ({"union": "XYZ"}, "union"),
        ({"format": "pdf"}, "format"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(api, world, params, field):
    resp = api("coordinator").get("/api/v1/reports/attendance", query_string=params)
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


def test_empty_database_gives_zero_totals(api):
    data = get(api, group_by="month")
    assert data == {"rows": [], "totals": counts()}
