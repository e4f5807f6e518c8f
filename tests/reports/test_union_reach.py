"""Union-scoped coordinators (CONTRACT.md, "Users, unions and teams"): their reports and
dashboards count only the events hosted by their union or one of its members; programme-wide
coordinators keep the whole programme. A two-union world: MBB (Şişli) and ÇBB (Sarıçam)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tests.support.factories import ApiClient


@dataclass
class TwoUnions:
    mbb: object
    cbb: object
    events: dict[str, object]


@pytest.fixture
def unions(app, create_organisation, create_contact, create_event, create_invitation):
    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    mbb = create_organisation(name="Marmara Belediyeler Birliği", kind="union", code="MBB")
    cbb = create_organisation(name="Çukurova Belediyeler Birliği", kind="union", code="ÇBB")
    sisli = create_organisation(name="Şişli Belediyesi", unions=[mbb])
    saricam = create_organisation(name="Sarıçam Belediyesi", unions=[cbb])
    reyhanli = create_organisation(name="Reyhanlı Belediyesi")
    march = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
    events = {
        # hosted by a member of MBB; guests from both unions
        "M": create_event(title="İstanbul forumu", host_organisation_id=sisli.id, starts_at=march),
        # hosted by ÇBB itself
        "C": create_event(title="Adana çalıştayı", host_organisation_id=cbb.id, starts_at=march),
        # hosted by an organisation in no union: programme-wide readers only
        "X": create_event(
            title="Hatay toplantısı", host_organisation_id=reyhanli.id, starts_at=march
        ),
    }
    guests = {
        "M": [sisli, sisli, saricam],
        "C": [saricam, saricam, sisli, reyhanli],
        "X": [reyhanli],
    }
    for key, orgs in guests.items():
        event = events[key]
        for org in orgs:
            invitation = create_invitation(
                event=event, contact=create_contact(organisation=org), status="accepted"
            ).invitation
            db.session.add(
                CheckIn(event_id=event.id, invitation_id=invitation.id, day=date(2024, 3, 5))
            )
    db.session.commit()
    return TwoUnions(mbb, cbb, events)


def reader(client, create_user, role="coordinator", union=None):
    from reslog_events.auth.operations import create_token
    from reslog_events.extensions import db

    user = create_user(role, union_id=union.id if union is not None else None)
    token = create_token(user)
    db.session.commit()
    return ApiClient(client, token)


def report(api_client, **params):
    resp = api_client.get("/api/v1/reports/attendance", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json


def test_each_union_counts_its_own_events_only(client, create_user, unions):
    e = unions.events
    mbb = reader(client, create_user, union=unions.mbb)
    cbb = reader(client, create_user, union=unions.cbb)
    everyone = reader(client, create_user)
    assert [r["key"] for r in report(mbb, group_by="event")["rows"]] == [e["M"].id]
    assert report(mbb)["totals"]["invited"] == 3
    assert {r["key"] for r in report(cbb, group_by="event")["rows"]} == {e["C"].id}
    assert report(cbb)["totals"]["attended"] == 4
    assert report(everyone)["totals"]["invited"] == 8
    # over whole months (the rollup's path for everyone else) the reach still holds
    spring = {"from": "2024-03-01", "to": "2024-03-31"}
    assert report(mbb, group_by="month", **spring)["totals"]["invited"] == 3
    assert report(everyone, group_by="union", **spring)["totals"]["invited"] == 8


def test_another_union_s_event_is_unknown_to_a_union_reader(client, create_user, unions):
    mbb = reader(client, create_user, union=unions.mbb)
    resp = mbb.get("/api/v1/reports/attendance", query_string={"event_id": unions.events["C"].id})
    assert resp.status_code == 422 and "event_id" in resp.json["error"]["fields"]
    run = mbb.post("/api/v1/reports/runs", json={"event_id": unions.events["X"].id})
    assert run.status_code == 422


def test_the_dashboard_of_a_union_coordinator(client, auth, create_user, unions):
    auth.login(user=create_user("coordinator", union_id=unions.cbb.id))
    html = client.get("/reports?group_by=event&lang=tr").get_data(as_text=True)
    assert "Adana çalıştayı" in html
    assert "İstanbul forumu" not in html and "Hatay toplantısı" not in html


def test_monthly_summaries_and_runs_per_union(app, client, create_user, unions, stub_worker):
    from reslog_events.extensions import db
    from reslog_events.reports.models import ReportRun
    from reslog_events.reports.operations import compile_run, send_monthly_summaries

    mbb_user = create_user("coordinator", union_id=unions.mbb.id)
    everyone = create_user("coordinator")
    assert send_monthly_summaries(now=datetime(2024, 4, 2, 6, 0, tzinfo=UTC)) == 2
    runs = {run.requested_by_id: run for run in db.session.scalars(db.select(ReportRun))}
    assert runs[mbb_user.id].result["totals"]["invited"] == 3
    assert runs[everyone.id].result["totals"]["invited"] == 8
    mbb = reader(client, create_user, union=unions.mbb)
    run_id = mbb.post("/api/v1/reports/runs", json={"group_by": "event"}).json["id"]
    compiled = compile_run(run_id)
    assert [row["key"] for row in compiled.result["rows"]] == [unions.events["M"].id]


def test_union_organisers_reports_keep_to_their_union_admins_see_all(client, create_user, unions):
    organiser = reader(client, create_user, role="organiser", union=unions.mbb)
    assert report(organiser)["totals"]["invited"] == 3
    admin = reader(client, create_user, role="admin", union=unions.mbb)
    assert report(admin)["totals"]["invited"] == 8
