"""The results page (with its charts, help and empty states), its XLSX (the indicators sheet and
the bilingual methods sheet), and the page in Chromium in Turkish."""

from __future__ import annotations

import io
import re

import pytest

from tests.results.conftest import PERIOD, reader


def _book(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_has_the_indicators_and_a_bilingual_methods_sheet(client, create_user, world, exact):
    admin = reader(client, create_user, "admin")
    admin.post(
        "/api/v1/results/targets",
        json={
            "indicator": "pilot_municipalities",
            "period_start": "2025-03-01",
            "period_end": "2025-03-31",
            "target": 4,
        },
    )
    resp = admin.get("/api/v1/results", query_string={**PERIOD, "format": "xlsx", "lang": "tr"})
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"] == (
        'attachment; filename="results-2025-03-01-2025-03-31.xlsx"'
    )
    book = _book(resp.get_data())
    assert book.sheetnames == ["Göstergeler", "Yöntem - Methods"]
    rows = _rows(book["Göstergeler"])
    assert rows[0][:2] == ["Dönem", "2025-03-01 – 2025-03-31"]
    assert rows[1][:2] == ["Önceki dönem", "2025-01-29 – 2025-02-28"]
    table = {row[0]: row[1:] for row in rows[6:] if row[0]}
    # value, out of, previous, change, target, progress
    assert table["Ulaşılan pilot belediyeler"][1:] == [3, 4, 2, 1, 4, 75]
    assert table["Kadınların payı"][1:] == [42.9, None, 66.7, -23.8, None, None]
    assert table["Tekrar katılanlar"][1:] == [2, None, 0, 2, None, None]
    assert table["Ulaşılan iller"][1:] == [4, None, 2, 2, None, None]

    methods = _rows(book["Yöntem - Methods"])
    assert methods[0] == ["Gösterge", "Nasıl sayılır", "Indicator", "How it is counted"]
    by_english = {row[2]: row for row in methods[1:] if row[2]}
    women = by_english["Share of women"]
    assert women[0] == "Kadınların payı"
    assert "kadın" in women[1] and "female" in women[3]
    refugee = by_english["Share of refugee-community participants"]
    assert "Refugee community" in refugee[3] and "Mülteci topluluğu" in refugee[1]
    assert set(by_english) == {
        "Pilot municipalities reached",
        "Share of women",
        "Share of refugee-community participants",
        "Repeat participants",
        "Unions reached",
        "Provinces reached",
        "Average feedback",
    }
    # the general notes, in both languages: Türkiye time, written with its Turkish letters
    notes = [row for row in methods if row[0] is None and row[1]]
    assert any("Türkiye saati" in row[1] and "Türkiye time" in row[3] for row in notes)


def test_xlsx_for_a_coordinator_leaves_small_cells_empty(client, create_user, world):
    resp = reader(client, create_user).get(
        "/api/v1/results", query_string={**PERIOD, "format": "xlsx"}
    )
    rows = _rows(_book(resp.get_data())["Indicators"])
    table = {row[0]: row[1:] for row in rows[6:] if row[0]}
    assert table["Share of women"][1:] == [None] * 6
    assert table["Pilot municipalities reached"][1] == 3
    assert any(row[0] and row[0].startswith("Empty cells are hidden") for row in rows)


def test_page_shows_values_charts_and_definitions(client, auth, world, exact):
    auth.login("coordinator")
    html = client.get("/results", query_string={**PERIOD, "lang": "tr"}).get_data(as_text=True)
    assert "Hedeflere göre sonuçlar" in html
    row = re.search(r'<tr id="indicator-share_women">(.*?)</tr>', html, re.S).group(1)
    assert "%42,9" in row and "%66,7" in row and "-%23,8" in row.replace("−", "-")
    pilot = re.search(r'<tr id="indicator-pilot_municipalities">(.*?)</tr>', html, re.S).group(1)
    assert "3 / 4" in re.sub(r"<[^>]+>", "", pilot)
    assert html.count('class="chart-svg chart-bars"') == 7
    assert "kadın olarak kayıtlı" in html  # the indicator's definition, in Turkish
    # the period in prose as every page writes a date (the form's fields keep ISO values)
    assert "1 Mar 2025" in html and "31 Mar 2025" in html and "28 Şub 2025" in html
    assert not re.search(
        r"\d{4}-\d{2}-\d{2}(?!\")", re.sub(r'value="[^"]*"|href="[^"]*"', "", html)
    )
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_page_empty_states_and_bad_period(client, auth, app, exact):
    auth.login("admin")
    html = client.get("/results?start=2030-01-01&end=2030-01-31").get_data(as_text=True)
    assert "No pilot list yet" in html
    assert "No participants in this period." in html
    assert "No targets are set yet" in html
    bad = client.get("/results?start=2030-02-01&end=2030-01-01&lang=tr")
    assert bad.status_code == 200
    assert "Bitiş, başlangıçtan önce olamaz." in bad.get_data(as_text=True)


def test_who_may_open_the_results(client, auth, app):
    for role, status in (("coordinator", 200), ("admin", 200), ("organiser", 403), ("staff", 403)):
        auth.login(role)
        assert client.get("/results").status_code == status, role
        auth.logout()


@pytest.mark.browser
def test_results_page_in_chromium_in_turkish(live_server, chromium, create_user, world, exact):
    from tests.support.factories import PASSWORD

    user = create_user("coordinator", language="tr")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="tr-TR")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(live_server.url + "/login?lang=tr")
    page.fill("#f-email", user.email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(live_server.url + "/results?lang=tr")
    page.get_by_label("Dönem başı").fill("2025-03-01")
    page.get_by_label("Bitiş tarihi (dahil)").fill("2025-03-31")
    page.get_by_role("button", name="Göster").click()
    page.wait_for_url("**/results?*start=2025-03-01*")
    assert page.locator("h1").inner_text() == "Hedeflere göre sonuçlar"
    women = page.locator("#indicator-share_women")
    assert women.locator("th").inner_text() == "Kadınların payı"
    assert "%42,9" in women.inner_text()
    pilot = page.locator("#indicator-pilot_municipalities").inner_text()
    assert "3 / 4" in re.sub(r"<[^>]+>", "", pilot)
    charts = page.locator("figure.chart")
    assert charts.count() == 7
    assert charts.first.locator("title").first.text_content() == "Ulaşılan pilot belediyeler"
    assert (
        page.get_by_role("link", name="XLSX indir")
        .get_attribute("href")
        .startswith("/api/v1/results?")
    )
    assert not missing, missing
    # the browser's own favicon request is not the page's (the page's requests are `missing`)
    assert not [p for p in problems if "Failed to load resource" not in p], problems
    context.close()


def test_a_union_coordinator_s_page_says_what_it_counts(client, auth, create_user, world, exact):
    user = create_user("coordinator", union_id=world.orgs["ÇBB"].id)
    auth.login(user=user)
    html = client.get("/results", query_string={**PERIOD, "lang": "ar"}).get_data(as_text=True)
    assert "<bdi>Çukurova Belediyeler Birliği</bdi>" in html
    row = re.search(r'<tr id="indicator-share_women">(.*?)</tr>', html, re.S).group(1)
    assert "(3 / 5)" in re.sub(r"<[^>]+>", "", row).replace("٣", "3").replace("٥", "5")
