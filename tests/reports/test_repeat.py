"""`repeat_participants`: people who attended two or more events in the period (the report's
filters apply), in every grouping's rows and totals. In the world of conftest.py only Ayşe (C1)
came to two events (E1 in March under Şişli, E2 in April under Şişli); Mehmet (C2) came to E2
only, and the cancelled E3 counts nowhere."""

from __future__ import annotations

import pytest


def repeats(api, **params):
    resp = api("organiser").get("/api/v1/reports/attendance", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    data = resp.json
    rows = {row["key"]: row["repeat_participants"] for row in data["rows"]}
    for row in data["rows"]:
        assert row["repeat_participants"] <= row["unique_participants"]
    return rows, data["totals"]["repeat_participants"]


def test_by_organisation_the_person_counts_under_the_organisation_they_came_for(api, world):
    rows, total = repeats(api, group_by="organisation")
    o = world.orgs
    assert rows == {o["O1"].id: 1, o["O2"].id: 0, o["O3"].id: 0, o["O4"].id: 0, o["TBB"].id: 0}
    assert total == 1


def test_by_event_month_gender_and_union(api, world):
    e, o = world.events, world.orgs
    assert repeats(api, group_by="event") == ({e["E1"].id: 1, e["E2"].id: 1, e["E4"].id: 0}, 1)
    assert repeats(api, group_by="month") == ({"2024-03": 1, "2024-04": 1, "2099-06": 0}, 1)
    assert repeats(api, group_by="gender") == ({"female": 1, "male": 0}, 1)
    assert repeats(api, group_by="union") == ({o["TBB"].id: 1, o["MBB"].id: 1, None: 0}, 1)
    rows, total = repeats(api, group_by="role_category")
    assert rows["elected_official"] == 1 and sum(rows.values()) == total == 1


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2024-04-01"},  # E2 only: Ayşe came once in the period
        {"to": "2024-03-31"},
        {"kind": "workshop"},
        {"event_id": "E2"},
        {"union": "MBB", "from": "2024-03-06"},
    ],
)
def test_the_filters_apply_to_both_events(api, world, params):
    if "event_id" in params:
        params = {**params, "event_id": world.events[params["event_id"]].id}
    for group_by in ("organisation", "event", "month", "gender", "union"):
        rows, total = repeats(api, group_by=group_by, **params)
        assert total == 0 and not any(rows.values()), group_by


def test_a_second_event_makes_a_second_repeat_participant(api, world, app):
    from datetime import date

    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    i2 = world.invitations["I2"]  # Mehmet, E1: accepted, did not come; now he did
    db.session.add(CheckIn(event_id=i2.event_id, invitation_id=i2.id, day=date(2024, 3, 5)))
    db.session.commit()
    o = world.orgs
    spring = {"from": "2024-03-01", "to": "2024-04-30"}
    rows, total = repeats(api, group_by="organisation", **spring)
    # E1 under Şişli, E2 under Gaziantep: one repeat person in each row, two in all
    assert (rows[o["O1"].id], rows[o["O2"].id], total) == (2, 1, 2)
    assert repeats(api, group_by="month")[1] == 2


@pytest.mark.parametrize(
    "params",
    [{}, {"from": "2024-04-01", "to": "2024-04-30"}, {"from": "2024-04-02"}, {"level": "regional"}],
)
def test_returning_people_and_municipalities_per_month(app, world, params):
    """April: Ayşe is back (March under Şişli), and so are Şişli and Gaziantep (Leyla walked in
    for Gaziantep in March, Mehmet came for it in April). Looking back passes the period's
    start; with `level=regional` March's national forum is not looked at."""
    from reslog_events.reports import queries, returning
    from reslog_events.reports.schemas import AttendanceFilters

    scope = queries.resolve(AttendanceFilters.model_validate(params))
    got = returning.per_month(scope)
    if "level" in params:
        assert got == {}
    elif params.get("from") == "2024-04-02":
        assert got == {}  # E2 starts on 1 April: nothing in this period
    else:
        assert got == {"2024-04": {"returning_participants": 1, "returning_municipalities": 2}}


def test_the_dashboard_draws_the_returning_trends(client, auth, world):
    auth.login("organiser")
    html = client.get("/reports?lang=en").get_data(as_text=True)
    assert ">Returning participants per month</title>" in html
    assert ">Returning municipalities per month</title>" in html
    assert "April 2024 2" in html  # the municipalities' text alternative
