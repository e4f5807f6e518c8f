"""Invitations whose invitee sent a colleague instead (`substituted`): counted in `invited` and
in a column of their own, so that invited = accepted + declined + tentative + no_response +
waitlisted + substituted in every row and in the totals, on the rollups path (whole months)
and on the facts path (any other range) alike (docs/reports.md)."""

from __future__ import annotations

import pytest

ANSWERS = ("accepted", "declined", "tentative", "no_response", "waitlisted", "substituted")


@pytest.fixture
def substituted(world, create_invitation, create_contact):
    """The world of conftest.py, with Zeynep (C5, =Göç) having sent a colleague to E2, and
    the colleague (of the same organisation) invited in her place, checked in on day 1."""
    from datetime import date

    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    sent = create_invitation(event=world.events["E2"], contact=world.contacts["C5"])
    sent.invitation.status = "substituted"
    colleague = create_contact(full_name="Selin Aydın", organisation=world.orgs["O4"])
    came = create_invitation(event=world.events["E2"], contact=colleague, status="accepted")
    db.session.add(
        CheckIn(
            event_id=world.events["E2"].id, invitation_id=came.invitation.id, day=date(2024, 4, 1)
        )
    )
    db.session.commit()
    return world


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2024-03-01", "to": "2024-04-30"},  # whole months: the rollups
        {"from": "2024-03-02", "to": "2024-04-30"},  # a day range: the facts (E2 only)
        {},
    ],
    ids=["rollup", "facts", "everything"],
)
@pytest.mark.parametrize("group_by", ["organisation", "union", "month", "gender", "event"])
def test_invited_is_the_sum_of_the_answers(api, substituted, params, group_by):
    data = (
        api("admin")
        .get("/api/v1/reports/attendance", query_string={"group_by": group_by, **params})
        .json
    )
    assert data["totals"]["substituted"] == 1
    for row in [*data["rows"], data["totals"]]:
        assert row["invited"] == sum(row[name] for name in ANSWERS), row
    if group_by == "organisation":
        goc = next(row for row in data["rows"] if row["label"] == "=Göç Derneği")
        assert (goc["substituted"], goc["no_response"]) == (1, 1)  # I5 has not answered


def test_substituted_is_in_the_json_only(api, substituted):
    csv = api("admin").get("/api/v1/reports/attendance", query_string={"format": "csv"})
    header = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert "colleague" not in header and "substituted" not in header


def test_a_lone_substitution_is_hidden_from_coordinators(api, substituted, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_MIN_CELL", 5)
    data = (
        api("coordinator")
        .get("/api/v1/reports/attendance", query_string={"group_by": "event"})
        .json
    )
    e2 = next(row for row in data["rows"] if row["label"] == "Göç Çalıştayı")
    assert e2["substituted"] is None and e2["suppressed"] is True
