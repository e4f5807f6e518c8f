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

import pytest

from tests.reports.attendance_table import TOTALS, assert_table, counts, get


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
