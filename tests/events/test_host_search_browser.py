"""In Chromium: the event form's host search finds any organisation of the directory, page by
page, and the chosen one is saved as the host (strict CSP, no console errors)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from reslog_events.events.models import Event
from reslog_events.extensions import db
from tests.checkin.test_browser import log_in

pytestmark = pytest.mark.browser


def test_the_host_is_found_by_name_and_saved(live_server, page, create_user, create_organisation):
    create_organisation(name="Çukurova Belediyeler Birliği", code="ÇBB", kind="union")
    botkyrka = create_organisation(name="Botkyrka kommun", country="SE")
    for n in range(25):
        create_organisation(name=f"Adana İlçe Belediyesi {n:02d}")
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    log_in(page, live_server.url, create_user("organiser"))
    page.goto(f"{live_server.url}/events/new?lang=tr")
    select = page.locator("#f-host_organisation_id")
    assert "Botkyrka kommun" not in select.inner_text()  # unions and partners only at first

    search = page.locator("#host-q")
    search.fill("adana ilçe")
    expect(page.locator("#host-status")).to_have_text("Bulunan kurum: 25")
    expect(page.locator("#host-results [role=option]")).to_have_count(20)
    page.click("#host-more")
    expect(page.locator("#host-results [role=option]")).to_have_count(25)
    expect(page.locator("#host-more")).to_be_hidden()

    search.fill("botk")
    expect(page.locator("#host-results [role=option]")).to_have_count(1)
    search.press("ArrowDown")
    search.press("Enter")  # chooses; does not submit the form
    assert page.url.endswith("/events/new?lang=tr")
    assert select.input_value() == str(botkyrka.id)
    expect(page.locator("#host-results")).to_be_hidden()

    page.fill("#f-title", "Stockholm Akran Ziyareti")
    page.select_option("#f-kind", "peer_visit")
    page.select_option("#f-level", "international")
    page.fill("#f-starts_at", "2031-09-16T09:00")
    page.fill("#f-ends_at", "2031-09-17T16:00")
    page.click("form.event-form button[type=submit]")
    page.wait_for_url(lambda url: "/events/new" not in url)
    db.session.expire_all()
    event = db.session.scalar(sa.select(Event))
    assert event.host_organisation_id == botkyrka.id
    assert problems == []
