"""Reports of one recurring series (`series_id`, an optional filter of the attendance API and
the dashboard): only the series's events count, within the reader's reach like `event_id`."""

# ruff: noqa: F811 - the tests take the imported `unions` fixture by name
from __future__ import annotations

from datetime import date

import pytest

from reslog_events.extensions import db
from reslog_events.series.models import EventSeries, Frequency
from tests.reports.test_union_reach import reader, report, unions  # noqa: F401 - the fixture


@pytest.fixture
def series(unions):
    """A monthly series of two of the events: M (hosted in MBB) and X (in no union)."""
    rule = EventSeries(
        frequency=Frequency.monthly,
        week_of_month=1,
        weekday=1,
        occurrences=2,
        first_day=date(2024, 3, 5),
    )
    db.session.add(rule)
    db.session.flush()
    for key in ("M", "X"):
        unions.events[key].series_id = rule.id
    db.session.commit()
    return rule


def test_only_the_series_events_count(client, create_user, unions, series):
    everyone = reader(client, create_user, role="organiser")
    by_event = report(everyone, group_by="event", series_id=series.id)
    assert {row["label"] for row in by_event["rows"]} == {"İstanbul forumu", "Hatay toplantısı"}
    assert by_event["totals"]["invited"] == 4 and by_event["totals"]["attended"] == 4
    assert report(everyone, group_by="event")["totals"]["invited"] == 8
    # with the other filters, as any filter
    both = report(everyone, group_by="union", series_id=series.id, union="MBB")
    assert both["totals"]["invited"] == 2
    unknown = everyone.get("/api/v1/reports/attendance", query_string={"series_id": 9999})
    assert unknown.status_code == 422 and "series_id" in unknown.json["error"]["fields"]
    bad = everyone.get("/api/v1/reports/attendance", query_string={"series_id": "monthly"})
    assert bad.status_code == 422 and "series_id" in bad.json["error"]["fields"]
    csv = everyone.get(
        "/api/v1/reports/attendance",
        query_string={"series_id": series.id, "group_by": "event", "format": "csv"},
    )
    assert csv.status_code == 200 and "Adana çalıştayı" not in csv.get_data(as_text=True)


def test_a_union_reader_counts_only_its_part_of_a_series(
    client,
    create_user,
    unions,
    series,
):
    mbb = reader(client, create_user, union=unions.mbb)
    mine = report(mbb, group_by="event", series_id=series.id)
    assert [row["label"] for row in mine["rows"]] == ["İstanbul forumu"]
    cbb = reader(client, create_user, union=unions.cbb)
    resp = cbb.get("/api/v1/reports/attendance", query_string={"series_id": series.id})
    assert resp.status_code == 422 and "series_id" in resp.json["error"]["fields"]


def test_the_dashboard_filter(client, auth, create_user, unions, series):
    auth.login("organiser")
    page = client.get("/reports?group_by=event&lang=tr").get_data(as_text=True)
    assert '<label for="f-series_id">Dizi</label>' in page
    assert f'<option value="{series.id}">İstanbul forumu</option>' in page
    assert '<option value="">Tüm diziler</option>' in page
    filtered = client.get(f"/reports?group_by=event&series_id={series.id}&lang=tr")
    html = filtered.get_data(as_text=True)
    assert "İstanbul forumu" in html and "Hatay toplantısı" in html
    assert "Adana çalıştayı</a>" not in html and "Adana çalıştayı</th>" not in html
    assert f"series_id={series.id}" in html  # kept in the download links
    auth.logout()
    auth.login(user=create_user("coordinator", union_id=unions.cbb.id))
    theirs = client.get("/reports?lang=tr").get_data(as_text=True)
    assert 'id="f-series_id"' not in theirs  # no series within ÇBB's reach
