"""In Chromium: the province picker of the organisation form in the page's language, and a walk-in
from an organisation not in the directory registered on the scanner page."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.directory.models import Contact, Organisation
from reslog_events.extensions import db
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/login")
    page.fill("#f-email", user.email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def wait_for(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_province_picker_in_the_page_language(live_server, page, create_user):
    user = create_user(role="organiser")
    log_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/organisations/new?lang=tr")
    labels = page.locator("#f-province optgroup[label='Türkiye'] option").all_inner_texts()
    assert len(labels) == 81 and labels[:3] == ["Adana", "Adıyaman", "Afyonkarahisar"]
    assert labels.index("Çanakkale") == labels.index("Bursa") + 1
    page.fill("#f-name", "Sarıçam Belediyesi")
    page.select_option("#f-kind", "municipality")
    page.select_option("#f-province", label="Adana")
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/new" not in url)
    org = db.session.scalar(sa.select(Organisation))
    assert org.province == "TR-01"
    # shown by name, in Swedish on a Swedish page
    page.goto(f"{live_server.url}/organisations/{org.id}?lang=sv")
    assert page.locator("dd", has_text="Adana").count() == 1


def test_walk_in_from_an_organisation_not_in_the_directory(
    live_server, page, create_user, create_event
):
    now = utcnow().replace(microsecond=0)
    event = create_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3))
    log_in(page, live_server.url, create_user(role="staff"))
    page.goto(f"{live_server.url}/events/{event.id}/checkin?lang=tr")
    page.fill("#gate-input", "A")
    page.click("#gate-form button[type=submit]")
    page.click("#walkin-panel summary")
    page.fill("#walkin-name", "Hasan Yıldırım")
    page.fill("#walkin-organisation", "Kozan Belediyesi")
    # not in the directory, no kind: the form says what to do next to the field
    page.click("#walkin-form button[type=submit]")
    error = page.locator("#walkin-organisation-error")
    error.wait_for(state="visible")
    assert "türünü" in error.inner_text()
    page.select_option("#walkin-kind", "municipality")
    page.select_option("#walkin-province", label="Adana")
    page.click("#walkin-form button[type=submit]")
    org = wait_for(
        lambda: db.session.scalar(
            sa.select(Organisation).where(Organisation.name == "Kozan Belediyesi")
        )
    )
    assert org.confirmed is False and org.province == "TR-01"
    contact = wait_for(lambda: db.session.scalar(sa.select(Contact)))
    assert contact.organisation_id == org.id
