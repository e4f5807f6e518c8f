"""The attendance report grouped by recurring series (`group_by=series`): a key over the same
per-event facts as `group_by=event`, so its totals are the event grouping's and a series' row is
the sum of its events' rows; events in no series are one row with a null key, "Not in a series"
(docs/reports.md). Labelled by the series' first event the reader may count, in the request's
language; scoped and suppressed as every grouping."""

# ruff: noqa: F811 - the tests take the imported `unions` fixture by name
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from reslog_events.extensions import db
from reslog_events.reports.scope import COUNTS, PEOPLE
from reslog_events.series.models import EventSeries, Frequency
from tests.reports.test_union_reach import reader, report, unions  # noqa: F401 - the fixture

#: counts of invitations, which add up over a grouping that splits the invitations
ADDITIVE = tuple(name for name in COUNTS if name not in PEOPLE)


def make_series(*events) -> EventSeries:
    rule = EventSeries(
        frequency=Frequency.monthly,
        week_of_month=1,
        weekday=1,
        occurrences=len(events) or 1,
        first_day=date(2024, 3, 5),
    )
    db.session.add(rule)
    db.session.flush()
    for event in events:
        event.series_id = rule.id
    db.session.commit()
    return rule


@pytest.fixture
def spanning(unions):
    """A series of X (no union; the first, an hour earlier) and M (hosted in MBB); C (hosted
    by ÇBB) in no series. M's title has a Swedish translation."""
    unions.events["X"].starts_at = datetime(2024, 3, 5, 5, 0, tzinfo=UTC)
    unions.events["M"].translations = {"sv": {"title": "Istanbulforumet"}}
    return make_series(unions.events["X"], unions.events["M"])


def by_key(table):
    return {row["key"]: row for row in table["rows"]}


def test_totals_and_rows_are_those_of_the_events(client, create_user, world):
    e = world.events
    # E3 is cancelled: its series counts E1 alone
    first, second = make_series(e["E1"], e["E3"]), make_series(e["E2"])
    everyone = reader(client, create_user, role="organiser")
    for filters in (
        {},
        {"from": "2024-04-01"},
        {"to": "2024-03-31"},
        {"kind": "workshop"},
        {"union": "TBB"},
        {"from": "2024-03-01", "to": "2024-04-30"},  # whole months
        {"series_id": first.id},
    ):
        series = report(everyone, group_by="series", **filters)
        events = report(everyone, group_by="event", **filters)
        assert series["totals"] == events["totals"], filters
        event_rows = by_key(events)
        members = {first.id: [e["E1"].id], second.id: [e["E2"].id], None: [e["E4"].id]}
        for key, row in by_key(series).items():
            parts = [event_rows[i] for i in members[key] if i in event_rows]
            assert parts, (filters, key)
            for name in ADDITIVE:
                assert row[name] == sum(p[name] for p in parts), (filters, key, name)
            assert row["unique_participants"] <= sum(p["unique_participants"] for p in parts)
        # every event is under its series' row: no invitation lost or counted twice
        for name in ADDITIVE:
            assert sum(r[name] for r in series["rows"]) == series["totals"][name], name
    whole = by_key(report(everyone, group_by="series"))
    assert whole[first.id]["invited"] == 6 and whole[first.id]["attended"] == 3
    assert whole[second.id]["attendance_days"] == 4
    assert whole[None]["invited"] == 3 and whole[None]["attended"] == 0
    assert [row["key"] for row in report(everyone, group_by="series")["rows"]][-1] is None


def test_a_series_counts_its_people_once(
    client, create_user, create_event, create_contact, create_invitation
):
    """A person at two events of one series is one participant of the series, and a repeat."""
    from reslog_events.checkin.models import CheckIn

    one = create_event(starts_at=datetime(2024, 3, 5, 6, 0, tzinfo=UTC))
    two = create_event(starts_at=datetime(2024, 4, 2, 6, 0, tzinfo=UTC))
    rule = make_series(one, two)
    person = create_contact()
    for event, day in ((one, date(2024, 3, 5)), (two, date(2024, 4, 2))):
        invitation = create_invitation(event=event, contact=person, status="accepted").invitation
        db.session.add(CheckIn(event_id=event.id, invitation_id=invitation.id, day=day))
    db.session.commit()
    row = by_key(report(reader(client, create_user, role="organiser"), group_by="series"))[rule.id]
    assert (row["attended"], row["unique_participants"], row["repeat_participants"]) == (2, 1, 1)


def test_labels_in_the_request_s_language_and_turkish_order(
    client, create_user, create_event, create_invitation
):
    march = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
    titles = ("Deprem masası", "Çevre buluşması", "Göç forumu")
    events = [create_event(title=title, starts_at=march) for title in titles]
    events[2].translations = {"sv": {"title": "Migrationsforum"}, "ar": {"title": "منتدى الهجرة"}}
    for event in (*events, create_event(title="Açılış", starts_at=march)):
        create_invitation(event=event, status="accepted")
    keys = [make_series(event).id for event in events]
    everyone = reader(client, create_user, role="organiser")
    turkish = report(everyone, group_by="series", lang="tr")
    # Turkish alphabet: Ç after C and before D (code points would put Ç after every letter)
    assert [row["label"] for row in turkish["rows"]] == [
        "Çevre buluşması",
        "Deprem masası",
        "Göç forumu",
        "Dizi dışı",
    ]
    assert [row["key"] for row in turkish["rows"]] == [keys[1], keys[0], keys[2], None]
    swedish = by_key(report(everyone, group_by="series", lang="sv"))
    assert swedish[keys[2]]["label"] == "Migrationsforum"
    assert swedish[keys[0]]["label"] == "Deprem masası"  # no translation: the title
    assert swedish[None]["label"] == "Inte i någon serie"
    arabic = by_key(report(everyone, group_by="series", lang="ar"))
    assert arabic[keys[2]]["label"] == "منتدى الهجرة"
    assert arabic[None]["label"] == "ليست ضمن سلسلة"
    assert by_key(report(everyone, group_by="series", lang="en"))[None]["label"] == (
        "Not in a series"
    )


def test_a_union_reader_sees_its_part_under_its_own_title(client, create_user, unions, spanning):
    e = unions.events
    everyone = by_key(report(reader(client, create_user), group_by="series", lang="tr"))
    # the series reads as its first event: X, an hour before M
    assert everyone[spanning.id]["label"] == "Hatay toplantısı"
    assert everyone[spanning.id]["invited"] == 4 and everyone[None]["invited"] == 4
    mbb = reader(client, create_user, union=unions.mbb)
    mine = report(mbb, group_by="series", lang="tr")
    # only M counts, and the series is named by M: never by an event out of the reader's reach
    assert [(row["key"], row["label"]) for row in mine["rows"]] == [
        (spanning.id, "İstanbul forumu")
    ]
    assert mine["totals"] == report(mbb, group_by="event")["totals"]
    assert mine["totals"]["invited"] == 3
    sv = report(mbb, group_by="series", lang="sv")
    assert sv["rows"][0]["label"] == "Istanbulforumet"
    cbb = report(reader(client, create_user, union=unions.cbb), group_by="series", lang="tr")
    assert [(row["key"], row["label"]) for row in cbb["rows"]] == [(None, "Dizi dışı")]
    assert cbb["totals"]["invited"] == 4
    organiser = report(
        reader(client, create_user, "organiser", union=unions.mbb), group_by="series"
    )
    assert [row["key"] for row in organiser["rows"]] == [spanning.id]
    assert "Hatay" not in str(organiser) and e["X"].title == "Hatay toplantısı"


def test_coordinators_small_cells_are_hidden(
    app, client, create_user, unions, spanning, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORT_MIN_CELL", 5)
    coordinator = report(reader(client, create_user), group_by="series")
    rows = coordinator["rows"]
    assert len(rows) == 2 and all(row["suppressed"] for row in rows)
    assert all(row["invited"] is None for row in rows)  # 4 and 4: small
    for name in COUNTS:
        hidden = [row for row in [*rows, coordinator["totals"]] if row[name] is None]
        # a hidden cell is never alone in its column (it could be worked out from the totals)
        assert len(hidden) != 1, name
    exact = report(reader(client, create_user, role="organiser"), group_by="series")
    assert {row["key"]: row["invited"] for row in exact["rows"]} == {spanning.id: 4, None: 4}
    assert not any(row.get("suppressed") for row in exact["rows"])


def test_exports_runs_and_pages(client, auth, create_user, unions, spanning, stub_worker):
    from reslog_events.reports.operations import compile_run

    everyone = reader(client, create_user, role="organiser")
    resp = everyone.get(
        "/api/v1/reports/attendance",
        query_string={"group_by": "series", "format": "csv", "lang": "tr"},
    )
    assert resp.status_code == 200
    lines = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0][0] == "Dizi"
    assert [line[0] for line in lines[1:3]] == ["Hatay toplantısı", "Dizi dışı"]
    assert len(lines) == 4  # and the totals
    resp = everyone.get(
        "/api/v1/reports/attendance",
        query_string={"group_by": "series", "format": "xlsx", "lang": "tr"},
    )
    sheet = load_workbook(io.BytesIO(resp.data)).active
    assert [sheet.cell(row=r, column=1).value for r in (1, 2, 3)] == [
        "Dizi",
        "Hatay toplantısı",
        "Dizi dışı",
    ]
    assert sheet.cell(row=2, column=2).value == 4
    # a report run of a union reader: its part, its title
    mbb_user = create_user("coordinator", union_id=unions.mbb.id, language="tr")
    from reslog_events.auth.operations import create_token

    token = create_token(mbb_user)
    db.session.commit()
    from tests.support.factories import ApiClient

    run = ApiClient(client, token).post("/api/v1/reports/runs", json={"group_by": "series"})
    assert run.status_code == 202, run.get_data(as_text=True)
    compiled = compile_run(run.json["id"])
    assert compiled.status == "done"
    assert [(r["key"], r["label"]) for r in compiled.result["rows"]] == [
        (spanning.id, "İstanbul forumu")
    ]
    # the dashboard offers the grouping, shows it, and prints it
    auth.login("organiser")
    page = client.get("/reports?group_by=series&lang=tr").get_data(as_text=True)
    assert '<option value="series" selected' in page or 'value="series" selected' in page
    assert "Hatay toplantısı" in page and "Dizi dışı" in page
    printed = client.get("/reports?group_by=series&print=1&lang=tr").get_data(as_text=True)
    assert "Dizi dışı" in printed and "Hatay toplantısı" in printed
    auth.logout()
    auth.login("coordinator")
    assert "Dizi dışı" in client.get("/reports?group_by=series&lang=tr").get_data(as_text=True)


def test_openapi_offers_the_grouping_beside_the_contract_s(client):
    doc = client.get("/api/v1/openapi.json").json
    params = doc["paths"]["/api/v1/reports/attendance"]["get"]["parameters"]
    assert "group_by" in {p["name"] for p in params}
    offered = doc["components"]["schemas"]["GroupBy"]["enum"]
    contract = [
        "organisation",
        "union",
        "province",
        "country",
        "event",
        "event_kind",
        "level",
        "gender",
        "role_category",
        "month",
    ]
    assert [name for name in offered if name != "series"] == contract
    assert "series" in offered
