"""The door's refusals in the reports: scans refused as `wrong_day` / `not_attending` and the
check-ins admitted by override, per event of the period. The door's code is another branch's:
the rows are made here as the door writes them (scan_log.result, checkins.method)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest


@pytest.fixture
def scans(app, world):
    from reslog_events.checkin.models import CheckIn, ScanLog
    from reslog_events.extensions import db

    e1, e2, e3 = (world.events[k] for k in ("E1", "E2", "E3"))
    inv = world.invitations
    at = datetime(2024, 3, 5, 7, 0, tzinfo=UTC)

    def scan(event, invitation, result, n):
        db.session.add(
            ScanLog(
                event_id=event.id,
                nonce=f"n{n}",
                scanned="abc",
                invitation_id=invitation.id,
                scanned_at=at,
                result=result,
                status_code=409 if result != "ok" else 201,
                response={},
            )
        )

    # E1: Fatma (declined, Gaziantep) refused twice, then admitted by override; Zeynep (=Göç)
    # scanned on a wrong day; E2: Fatma (waitlisted) refused; E3 is cancelled: counts nowhere
    scan(e1, inv["I3"], "not_attending", 1)
    scan(e1, inv["I3"], "not_attending", 2)
    scan(e1, inv["I3"], "ok", 3)
    scan(e1, inv["I5"], "wrong_day", 4)
    scan(e2, inv["I11"], "not_attending", 5)
    scan(e2, inv["I8"], "ok", 6)
    scan(e3, inv["I13"], "wrong_day", 7)
    db.session.add(
        CheckIn(event_id=e1.id, invitation_id=inv["I3"].id, day=date(2024, 3, 5), method="override")
    )
    db.session.commit()
    return world


def door(api, role="organiser", **params):
    resp = api(role).get("/api/v1/reports/door", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json


def test_refused_scans_and_overrides_per_event(api, scans):
    e = scans.events
    data = door(api)
    assert data["totals"] == {
        "wrong_day": 1,
        "not_attending": 3,
        "overrides": 1,
        "suppressed": False,
    }
    by_event = {row["key"]: row for row in data["rows"]}
    assert set(by_event) == {e["E1"].id, e["E2"].id}  # the cancelled E3 counts nowhere
    assert (by_event[e["E1"].id]["not_attending"], by_event[e["E1"].id]["overrides"]) == (2, 1)
    assert by_event[e["E2"].id]["not_attending"] == 1
    # the override is a check-in: it counts as attendance (a walk-in, not having accepted)
    report = (
        api("organiser")
        .get("/api/v1/reports/attendance", query_string={"event_id": e["E1"].id})
        .json
    )
    assert report["totals"]["attended"] == 4 and report["totals"]["walk_ins"] == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2024-04-01"}, (0, 1, 0)),  # E2 only
        ({"to": "2024-03-31"}, (1, 2, 1)),
        ({"union": "TBB"}, (0, 3, 1)),  # Fatma is of Gaziantep; Zeynep's =Göç is in no union
        ({"country": "SE"}, (0, 0, 0)),
        ({"kind": "workshop"}, (0, 1, 0)),
    ],
)
def test_the_report_filters_apply(api, scans, params, expected):
    totals = door(api, **params)["totals"]
    assert (totals["wrong_day"], totals["not_attending"], totals["overrides"]) == expected


def test_coordinators_see_them_as_small_cells_and_the_dashboard_shows_them(
    api, scans, app, monkeypatch, client, auth
):
    monkeypatch.setitem(app.config, "REPORT_MIN_CELL", 5)
    data = door(api, "coordinator")
    assert data["totals"]["not_attending"] is None and data["totals"]["suppressed"] is True
    assert door(api, "organiser")["totals"]["not_attending"] == 3
    auth.login("organiser")
    html = client.get("/reports?lang=en").get_data(as_text=True)
    assert "At the door" in html and "Scans refused: not one of the event" in html
    auth.logout()
    auth.login("coordinator")
    html = client.get("/reports?lang=en").get_data(as_text=True)
    assert "At the door" in html and 'class="hidden-count"' in html


def test_staff_may_not_read_it(api, scans):
    assert api("staff").get("/api/v1/reports/door").status_code == 403
