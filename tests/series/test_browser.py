"""In Debian's Chromium: an organiser repeats a roundtable monthly from the event page, sees the
series on another of its events (in Arabic, right to left), and cancels the rest after the list
of what will be cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_repeat_monthly_then_cancel_the_rest(app, live_server, page, create_user, create_event):
    organiser = create_user("organiser", email="duzenleyici@example.org")
    start = datetime(2027, 1, 12, 11, 0, tzinfo=UTC)  # the 2nd Tuesday, 14:00 in Istanbul
    event = create_event(
        title="Aylık Yuvarlak Masa",
        kind="roundtable",
        status="draft",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", organiser.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{live_server.url}/events/{event.id}")
    page.click("text=Series")
    page.select_option("#f-frequency", "monthly")
    page.fill("#f-occurrences", "3")
    page.click("text=Make the series")
    page.wait_for_url(f"{live_server.url}/events/{event.id}/series")
    assert "Every month on the second Tuesday, 3 events" in page.locator("h2").first.inner_text()
    links = page.locator(".series-events a")
    assert links.count() == 2

    links.first.click()
    page.goto(page.url + "?lang=ar")
    panel = page.locator("section[aria-labelledby=series-heading]")
    assert "السلسلة" in panel.inner_text() and "الثلاثاء" in panel.inner_text()
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.goto(f"{live_server.url}/events/{event.id}/series?lang=en")
    page.click("text=Cancel the remaining events…")
    items = page.locator(".consequences li").all_inner_texts()
    assert len(items) == 3 and all(item.startswith("Cancelled:") for item in items)
    page.click("text=Yes, cancel these events")
    page.wait_for_url(f"{live_server.url}/events/{event.id}/series")
    assert "were cancelled" in page.locator("main").inner_text()
    assert problems == []
