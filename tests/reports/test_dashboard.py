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
    assert html.count('role="img"') == 3
    assert re.search(r'<svg class="chart-svg chart-bars"[^>]* role="group"', html)
    for title in (
        "Attendance per municipality",
        "Attendance per month",
        "Participants by gender",
        "Participants by role",
    ):
        assert f">{title}</title>" in html
    assert re.search(r"<desc[^>]*>Invitations attended, top municipalities: [^<]*Şişli", html)
    assert "Female 2 (40 %)" in html  # 2 of the 5 participants
    # rows link to the drill-down; downloads and the report run button are there
    org = world.orgs["O1"]
    assert f'href="/reports/organisations/{org.id}?group_by=organisation"' in html
    assert "/api/v1/reports/attendance?format=csv&amp;group_by=organisation" in html
    assert "format=xlsx" in html
    assert 'action="/reports/runs"' in html
    assert "/static/js/reports.js" in html and "/static/css/reports.css" in html


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
