"""The coordinators' dashboard, drill-down, run page and print view."""

from __future__ import annotations

import os
import re

import pytest


def _html(resp) -> str:
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def _no_inline_code(html: str) -> None:
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_coordinator_lands_on_the_dashboard_with_charts(client, auth, world):
    auth.login("coordinator")
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/reports")
    html = _html(client.get("/reports"))
    _no_inline_code(html)
    assert "<caption>Attendance by organisation" in html
    assert '<th scope="col" class="num" data-sort="number">Invited</th>' in html
    # four charts, each an SVG with a title and a text alternative: the municipalities' bars link
    # to their drill-down, so that chart is a group of links (an image may not hold links)
    assert html.count('role="img"') == 5
    assert re.search(r'<svg class="chart-svg chart-bars"[^>]* role="group"', html)
    for title in (
        "Attendance per municipality",
        "Attendance per month",
        "Participants by gender",
        "Participants by role",
    ):
        assert f">{title}</title>" in html
    assert re.search(r"<desc[^>]*>Invitations attended, top municipalities: [^<]*Şişli", html)
    assert "Female 2 (40%)" in html  # 2 of the 5 participants
    # rows link to the drill-down; downloads and the report run button are there
    org = world.orgs["O1"]
    assert f'href="/reports/organisations/{org.id}?group_by=organisation"' in html
    assert "/api/v1/reports/attendance?format=csv&amp;group_by=organisation" in html
    assert "format=xlsx" in html
    assert 'action="/reports/runs"' in html
    assert "/static/js/reports.js" in html and "/static/css/reports.css" in html


def _bigger_counts(monkeypatch) -> None:
    """The real table with two counts no fixture reaches: a row's 1,234,567 invitations and
    1,234 in the totals."""
    from reslog_events.reports import queries

    real = queries.table

    def table(*args, **kwargs):
        result = real(*args, **kwargs)
        result["rows"][0]["invited"] = 1234567
        result["totals"]["invited"] = 1234
        return result

    monkeypatch.setattr(queries, "table", table)


@pytest.mark.parametrize(
    ("lang", "row", "total"),
    [
        ("tr", "1.234.567", "1.234"),
        ("sv", "1\xa0234\xa0567", "1\xa0234"),
        ("en", "1,234,567", "1,234"),
        ("ar", None, None),  # as Babel writes Arabic numbers
    ],
)
def test_numbers_are_written_the_way_of_the_language(
    client, auth, world, monkeypatch, lang, row, total
):
    from babel.numbers import format_decimal

    _bigger_counts(monkeypatch)
    row = row or format_decimal(1234567, locale=lang)
    total = total or format_decimal(1234, locale=lang)
    auth.login("coordinator")
    html = _html(client.get(f"/reports?lang={lang}"))
    # shown per language; the sortable value stays a plain number
    assert f'<td class="num" data-value="1234567">{row}</td>' in html
    assert f'<td class="num">{total}</td>' in html
    if lang == "tr":  # percentages too: Turkish writes the sign first
        assert "(%40)" in html


def test_downloads_keep_raw_numbers_in_every_language(api, world, monkeypatch):
    import csv
    import io

    from reslog_events.reports import queries

    real = queries.attendance

    def attendance(*args, **kwargs):
        result = real(*args, **kwargs)
        result["totals"]["invited"] = 1234
        return result

    monkeypatch.setattr(queries, "attendance", attendance)
    resp = api("coordinator").get(
        "/api/v1/reports/attendance", query_string={"format": "csv", "lang": "tr"}
    )
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[-1][1] == "1234"


def _trend_points(html: str) -> list[float]:
    chart = html[html.index('id="chart-trend-caption"') :]
    chart = chart[: chart.index("</svg>")]
    return [float(x) for x in re.findall(r'<circle class="chart-dot" cx="([\d.]+)"', chart)]


def _trend_ticks(html: str) -> list[tuple[float, str]]:
    chart = html[html.index('id="chart-trend-caption"') :]
    chart = chart[: chart.index("</svg>")]
    return [
        (float(x), anchor)
        for x, anchor in re.findall(
            r'<text class="chart-tick" x="([\d.]+)" y="[\d.]+" '
            r'text-anchor="(start|end)">',
            chart,
        )
    ]


def test_month_chart_runs_right_to_left_in_arabic(client, auth, world):
    auth.login("coordinator")
    ltr = _html(client.get("/reports?lang=en&to=2024-12-31"))
    rtl = _html(client.get("/reports?lang=ar&to=2024-12-31"))
    # March and April 2024: time runs left to right in English, right to left in Arabic
    assert len(_trend_points(ltr)) == len(_trend_points(rtl)) == 2
    first, last = _trend_points(ltr)
    assert first < last
    first, last = _trend_points(rtl)
    assert first > last
    # the y axis's values stand before the first month: at the left, or at the right
    ticks = _trend_ticks(ltr)
    assert ticks and all(anchor == "end" and x < 44 for x, anchor in ticks)
    ticks = _trend_ticks(rtl)
    assert ticks and all(anchor == "start" and x > 420 - 44 for x, anchor in ticks)


def test_filters_group_by_union_shows_the_note(client, auth, world):
    auth.login("coordinator")
    html = _html(client.get("/reports?group_by=union&from=2024-01-01&kind=&union="))
    assert "An organisation in two unions counts in both" in html
    assert "Marmara Belediyeler Birliği" in html
    assert "Total (distinct invitations)" in html


def test_bad_filters_show_their_error_and_keep_the_rest(client, auth, world):
    auth.login("coordinator")
    html = _html(client.get("/reports?from=2024-99-01&group_by=gender&union=NOPE"))
    assert 'id="e-from" role="alert"' in html
    assert 'id="e-union" role="alert"' in html
    assert 'value="2024-99-01"' in html  # what the user typed stays
    assert "<caption>Attendance by gender" in html


def test_print_view(client, auth, world):
    auth.login("organiser")
    html = _html(client.get("/reports?print=1&group_by=month"))
    assert 'class="reports print-view"' in html
    assert "March 2024" in html


def test_who_may_see_the_dashboard(client, auth, world):
    assert client.get("/reports").status_code == 302  # to the login page
    auth.login("staff")
    assert client.get("/reports").status_code == 403
    org = world.orgs["O1"]
    assert client.get(f"/reports/organisations/{org.id}").status_code == 403


def test_drill_down_counts_for_coordinators_names_for_organisers(client, auth, world):
    org = world.orgs["O1"]
    auth.login("coordinator")
    html = _html(client.get(f"/reports/organisations/{org.id}?from=2024-01-01"))
    assert "Yerel Yönetimler Forumu" in html and "Göç Çalıştayı" in html
    assert "İptal Edilen Toplantı" not in html  # cancelled
    assert "Ayşe Yılmaz" not in html
    assert "shown to organisers and administrators only" in html
    auth.logout()
    auth.login("organiser")
    html = _html(client.get(f"/reports/organisations/{org.id}"))
    _no_inline_code(html)
    assert "Ayşe Yılmaz" in html and "Mehmet Öztürk" in html  # invited under Şişli
    assert "3 invitations" in html
    assert client.get("/reports/organisations/999999").status_code == 404


def test_run_button_without_javascript(client, auth, world):
    from tests.support.forms import csrf_token

    auth.login("coordinator")
    token = csrf_token(client, "/reports")
    resp = client.post(
        "/reports/runs", data={"csrf_token": token, "group_by": "gender", "from": "2024-01-01"}
    )
    assert resp.status_code == 302
    run_page = resp.headers["Location"]
    assert re.search(r"/reports/runs/\d+$", run_page)
    html = _html(client.get(run_page))
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "<progress" in html
    auth.logout()
    auth.login("coordinator")
    assert client.get(run_page).status_code == 404  # another coordinator's run


@pytest.mark.browser
def test_dashboard_in_a_browser_sorts_and_compiles(live_server, chromium, create_user, world):
    from tests.support.factories import PASSWORD

    user = create_user("coordinator")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/login")
    page.fill("#f-email", user.email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/reports")
    first = page.locator("table.report-table tbody tr th").first
    assert first.inner_text() == "Gaziantep Büyükşehir Belediyesi"
    page.get_by_role("button", name="Invited").click()  # biggest first
    assert first.inner_text() == "Gaziantep Büyükşehir Belediyesi"
    assert page.locator("th[aria-sort=descending]").count() == 1
    page.get_by_role("button", name="Invited").click()
    assert page.locator("th[aria-sort=ascending]").count() == 1
    assert page.locator("table.report-table tbody tr th").first.inner_text() in (
        "Türkiye Belediyeler Birliği",
    )
    if os.environ.get("REPORTS_SCREENSHOTS"):
        page.screenshot(path=os.environ["REPORTS_SCREENSHOTS"] + "/dashboard.png", full_page=True)
    page.get_by_role("button", name="Compile in the background and email me").click()
    page.wait_for_selector(".run-progress:not([hidden])")
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()
