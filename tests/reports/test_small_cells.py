"""Small cells (CONTRACT.md, "Reports (added)"): to coordinators, counts from 1 to
REPORT_MIN_CELL − 1 and their complements are null with `"suppressed": true`, everywhere they
see counts; organisers and admins see exact counts. Every count of the conftest world is small."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from reslog_events.reports.scope import COUNTS
from tests.properties.test_suppression_properties import derivable

NOTE = "Empty cells are hidden to protect people"


@pytest.fixture(autouse=True)
def min_cell(app, exact_counts, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_MIN_CELL", 5)


def get(api, role, **params):
    resp = api(role).get("/api/v1/reports/attendance", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp


def assert_safe(data):
    """No count from 1 to 4 shown, flags where cells are hidden, nothing derivable."""
    for row in [*data["rows"], data["totals"]]:
        shown = [row[c] for c in COUNTS if row[c] is not None]
        assert not any(0 < v < 5 for v in shown), row
        assert row["suppressed"] == any(row[c] is None for c in COUNTS)
    assert derivable(data, COUNTS) == []


@pytest.mark.parametrize("group_by", ["organisation", "union", "event", "gender", "month"])
def test_coordinators_see_small_counts_hidden_organisers_exact(api, world, group_by):
    data = get(api, "coordinator", group_by=group_by).json
    assert_safe(data)
    assert data["totals"]["suppressed"] is True and data["totals"]["walk_ins"] is None
    exact = get(api, "organiser", group_by=group_by).json
    assert exact["totals"]["walk_ins"] == 2 and exact["totals"]["suppressed"] is False
    assert all(row[c] is not None for row in exact["rows"] for c in COUNTS)
    admin = get(api, "admin", group_by=group_by).json
    assert admin == exact


def test_the_issue_s_one_event_one_organisation_case(api, world):
    """'Female invited 1, declined 1' must not reach a coordinator (issue 13)."""
    params = {
        "group_by": "gender",
        "event_id": world.events["E1"].id,
        "organisation_id": world.orgs["O2"].id,
    }
    data = get(api, "coordinator", **params).json
    female = next(row for row in data["rows"] if row["key"] == "female")
    assert female["invited"] is None and female["declined"] is None and female["suppressed"]
    assert_safe(data)


def test_the_csv_and_xlsx_leave_hidden_cells_empty_and_say_why(api, world):
    raw = get(api, "coordinator", format="csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    cells = [cell for row in rows[1:] for cell in row[1:]]
    assert "" in cells and not any(cell in {"1", "2", "3", "4"} for cell in cells)
    book = load_workbook(io.BytesIO(get(api, "coordinator", format="xlsx").data))
    values = [c.value for row in book.worksheets[0].iter_rows(min_row=2) for c in row[1:]]
    assert None in values and not any(v in (1, 2, 3, 4) for v in values)
    about = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row)
    assert NOTE in about
    organiser = load_workbook(io.BytesIO(get(api, "organiser", format="xlsx").data))
    about = " ".join(str(c.value) for row in organiser.worksheets[1].iter_rows() for c in row)
    assert NOTE not in about


def test_the_dashboard_charts_and_drill_down_hide_them_with_a_note(client, auth, world):
    auth.login("coordinator")
    html = client.get("/reports?lang=en").get_data(as_text=True)
    assert NOTE in html and 'class="hidden-count"' in html
    # the month chart's text alternative names hidden months instead of their numbers
    assert "March 2024 hidden" in html
    drill = client.get(f"/reports/organisations/{world.orgs['O2'].id}?lang=tr")
    assert drill.status_code == 200
    assert 'class="hidden-count"' in drill.get_data(as_text=True)
    turkish = client.get("/reports?lang=tr").get_data(as_text=True)
    assert NOTE not in turkish and "gizlen" in turkish.lower()


def test_an_organiser_s_dashboard_shows_every_count(client, auth, world):
    auth.login("organiser")
    html = client.get("/reports?lang=en").get_data(as_text=True)
    assert NOTE not in html and 'class="hidden-count"' not in html


def test_the_monthly_summary_and_runs_of_coordinators_hide_them(
    app, world, create_user, stub_worker
):
    from reslog_events.reports.operations import send_monthly_summaries

    create_user("coordinator")
    assert send_monthly_summaries(now=datetime(2024, 4, 2, 6, 0, tzinfo=UTC)) == 1
    stub_worker.drain()
    [message] = stub_worker.messages()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Walk-ins: –" in text and NOTE in text
    assert "Invited: 6" in text  # six invitations in March: shown
