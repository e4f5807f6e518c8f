"""The scanner page in a real Chromium: the amber not-attending screen with Admit anyway, the
wrong-day screen, the capacity warning, online and offline; the page opening without a network
(service worker); the offline list forgotten at logout."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from reslog_events.checkin.models import CheckIn, ScanLog
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from tests.checkin.test_browser import log_in, snapshot
from tests.support.browser import launch_chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(_playwright):
    browser = launch_chromium(_playwright)
    yield browser
    browser.close()


def open_scanner(browser, base: str, user, event, gate: str = "Kapı A", language: str = "en"):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, locale="en-GB"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base, user)
    page.goto(f"{base}/events/{event.id}/checkin?lang={language}")
    page.wait_for_selector('body[data-checkin-ready="true"]', state="attached")
    if gate is not None:
        page.fill("#gate-input", gate)
        page.click("#gate-form button[type=submit]")
    return context, page, errors


def scan(page, code: str, result: str) -> None:
    page.fill("#code-input", code)
    page.press("#code-input", "Enter")
    page.wait_for_selector(f'#result[data-result="{result}"]', timeout=10000)


def checkins_of(invitation_id: int) -> list[CheckIn]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(CheckIn).where(CheckIn.invitation_id == invitation_id))
    )


def test_not_attending_admit_anyway_and_capacity_online_and_offline(
    live_server, browser, create_user, create_event, invitee
):
    from playwright.sync_api import expect

    event = create_event(title="Kapı Forumu", capacity=2)
    declined = invitee(
        event,
        name="Reddeden Rana",
        status="declined",
        responded_at=datetime(2026, 12, 12, 9, tzinfo=UTC),
    )
    waiting = [
        invitee(event, status="waitlisted", waitlisted_at=utcnow() - timedelta(hours=5 - n))
        for n in range(3)
    ]
    accepted = [invitee(event, name=f"Gelen {n}") for n in range(3)]
    context, page, errors = open_scanner(browser, live_server.url, create_user("staff"), event)

    # Online: amber, says why, nothing recorded; Admit anyway admits as an override.
    scan(page, declined.checkin_code, "not_attending")
    assert "result-attention" in page.get_attribute("#result", "class")
    expect(page.locator("#result-detail")).to_have_text(re.compile(r"^Declined on Dec 12\.$"))
    assert page.is_visible("#admit-anyway")
    snapshot(page, "door-1-not-attending")
    assert checkins_of(declined.invitation.id) == []
    page.click("#admit-anyway")
    page.wait_for_selector('#result[data-result="ok"]')
    assert "Admitted anyway" in page.text_content("#result-detail")
    assert page.is_hidden("#admit-anyway")
    [row] = checkins_of(declined.invitation.id)
    assert row.method == "override"

    # Capacity 2: the second is fine, the third is checked in with a visible warning.
    scan(page, accepted[0].checkin_code, "ok")
    assert page.is_hidden("#result-warning") and page.is_hidden("#capacity-over")
    scan(page, accepted[1].checkin_code, "ok")
    expect(page.locator("#result-warning")).to_be_visible()
    assert "Over capacity" in page.text_content("#result-warning")
    assert page.is_visible("#capacity-over") and page.text_content("#count-in") == "3"
    snapshot(page, "door-2-over-capacity")

    # Offline: the list on the phone gives the same answers.
    page.wait_for_selector('body[data-list-size="7"]', state="attached")
    context.set_offline(True)
    page.wait_for_selector("#net-status.net-offline")
    scan(page, waiting[2].checkin_code, "not_attending")
    expect(page.locator("#result-detail")).to_have_text("On the waitlist, position 3.")
    page.click("#admit-anyway")
    page.wait_for_selector('#result[data-result="offline_ok"]')
    assert "Admitted anyway" in page.text_content("#result-detail")
    expect(page.locator("#result-warning")).to_be_visible()  # 4 of 2
    scan(page, waiting[0].checkin_code, "not_attending")  # not admitted: stays out
    assert page.get_attribute("#queue-status", "data-count") == "3"
    snapshot(page, "door-3-offline")

    context.set_offline(False)
    page.wait_for_selector("#queue-status[hidden]", state="attached", timeout=20000)
    [row] = checkins_of(waiting[2].invitation.id)
    assert row.method == "override"
    assert checkins_of(waiting[0].invitation.id) == []
    results = db.session.scalars(sa.select(ScanLog.result).order_by(ScanLog.id)).all()
    assert results.count("not_attending") == 3 and results.count("ok") == 4
    assert errors == []
    context.close()


def test_wrong_day_before_any_scan_online_and_offline(
    live_server, browser, create_user, create_event, invitee
):
    from playwright.sync_api import expect

    starts = datetime(2031, 12, 22, 7, tzinfo=UTC)
    event = create_event(title="Aralık Yuvarlak Masa", starts_at=starts)
    guest = invitee(event, name="Erken Gelen")
    context, page, errors = open_scanner(browser, live_server.url, create_user("staff"), event)

    # Before any scan, the page says the event is not today, with its date.
    expect(page.locator("#day-notice")).to_be_visible()
    assert "Dec 22, 2031" in page.text_content("#day-notice")
    scan(page, guest.checkin_code, "wrong_day")
    assert "Dec 22, 2031" in page.text_content("#result-detail")
    assert "result-refused" in page.get_attribute("#result", "class")
    assert page.is_hidden("#admit-anyway")
    page.wait_for_selector('body[data-list-size="1"]', state="attached")

    context.set_offline(True)
    page.wait_for_selector("#net-status.net-offline")
    scan(page, guest.checkin_code, "wrong_day")
    snapshot(page, "door-4-wrong-day")
    context.set_offline(False)
    page.wait_for_selector("#queue-status[hidden]", state="attached", timeout=20000)
    assert checkins_of(guest.invitation.id) == []
    assert errors == []
    context.close()


@pytest.mark.parametrize("language", ["ar", "sv", "tr"])
def test_the_scanner_writes_the_event_s_days_as_the_page_does(
    live_server, browser, create_user, create_event, invitee, language
):
    """The script's not-today notice and wrong-day answer read the days as the server wrote
    them (core.datetimes), not in the browser's own style (Arabic: "٢٢ ديسمبر ٢٠٣١")."""
    from playwright.sync_api import expect

    from reslog_events.core.datetimes import day

    event = create_event(
        title="Aralık Yuvarlak Masa", starts_at=datetime(2031, 12, 22, 7, tzinfo=UTC)
    )
    guest = invitee(event, name="Erken Gelen")
    context, page, errors = open_scanner(
        browser, live_server.url, create_user("staff"), event, language=language
    )
    written = day(date(2031, 12, 22), locale=language)
    expect(page.locator("#day-notice")).to_be_visible()
    assert written in page.text_content("#day-notice")
    scan(page, guest.checkin_code, "wrong_day")
    assert written in page.text_content("#result-detail")
    assert errors == []
    context.close()


def test_empty_gate_is_not_accepted(live_server, browser, create_user, create_event):
    event = create_event()
    context, page, _errors = open_scanner(
        browser, live_server.url, create_user("staff"), event, gate=None
    )
    page.fill("#gate-input", "   ")
    page.click("#gate-form button[type=submit]")
    assert page.is_visible("#gate-error")
    assert page.is_visible("#gate-dialog")
    assert page.text_content("#gate-name") == "–"
    context.close()


def test_an_empty_gate_gets_the_pages_own_message(live_server, browser, create_user, create_event):
    # an empty field was held back by the browser's own bubble (in the phone's language, or
    # none at all): the page now says it, in the page's language, and starts nothing
    event = create_event()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    log_in(page, live_server.url, create_user("staff"))
    page.goto(f"{live_server.url}/events/{event.id}/checkin?lang=tr")
    page.wait_for_selector('body[data-checkin-ready="true"]', state="attached")
    page.click("#gate-form button[type=submit]")
    assert page.is_visible("#gate-error") and page.is_visible("#gate-dialog")
    assert page.text_content("#gate-error") == "Kapıya bir ad verin, ör. A."
    assert page.get_attribute("#gate-input", "aria-invalid") == "true"
    assert page.text_content("#gate-name") == "–"
    page.fill("#gate-input", "B")
    page.click("#gate-form button[type=submit]")
    assert not page.is_visible("#gate-dialog") and page.text_content("#gate-name") == "B"
    context.close()


def test_the_page_opens_offline_and_the_list_goes_at_logout(
    live_server, browser, create_user, create_event, invitee
):
    event = create_event(title="Wi-Fi'sız Forum")
    guest = invitee(event, name="Bağlantısız Berk")
    context, page, errors = open_scanner(browser, live_server.url, create_user("staff"), event)
    page.wait_for_selector('body[data-list-size="1"]', state="attached")
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
        " || !!navigator.serviceWorker.controller",
        timeout=15000,
    )
    # Make sure the worker controls the page (its first load may not be controlled yet).
    page.reload()
    page.wait_for_selector('body[data-checkin-ready="true"]', state="attached")
    assert page.evaluate("!!navigator.serviceWorker.controller")
    # Installable as a home-screen app (Chromium's own check: manifest, icons, worker).
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert not manifest.get("errors"), manifest
    problems = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # (a Playwright context is incognito, where Chromium installs nothing)
    assert [p["errorId"] for p in problems if p["errorId"] != "in-incognito"] == []
    cdp.detach()

    # The Wi-Fi is gone before the doors open: the page still opens, and scans work.
    context.set_offline(True)
    page.goto(f"{live_server.url}/events/{event.id}/checkin?lang=en")
    page.wait_for_selector('body[data-checkin-ready="true"]', state="attached", timeout=15000)
    assert page.text_content("h1") == "Wi-Fi'sız Forum"
    page.wait_for_selector("#net-status.net-offline")
    scan(page, guest.checkin_code, "offline_ok")
    assert page.text_content("#result-name") == "Bağlantısız Berk"
    context.set_offline(False)
    page.wait_for_selector("#queue-status[hidden]", state="attached", timeout=20000)
    assert len(checkins_of(guest.invitation.id)) == 1

    # Logout: the offline list and the cached page are removed from the phone.
    count_lists = """() => new Promise((resolve) => {
        const request = indexedDB.open('reslog-checkin');
        request.onsuccess = () => {
            const db = request.result;
            const keys = db.transaction('lists').objectStore('lists').getAllKeys();
            keys.onsuccess = () => { resolve(keys.result.length); db.close(); };
        };
    })"""
    assert page.evaluate(count_lists) == 1
    assert page.evaluate("caches.keys().then((k) => k.length)") >= 1
    page.click("form[data-logout] button[type=submit]")
    page.wait_for_url(lambda url: "/checkin" not in url)
    assert page.evaluate(count_lists) == 0
    assert page.evaluate("caches.keys().then((k) => k.length)") == 0
    assert errors == []
    context.close()


def test_the_list_goes_a_day_after_the_event(
    live_server, browser, create_user, create_event, invitee
):
    event = create_event(title="Biten Forum")
    invitee(event)
    context, page, _errors = open_scanner(browser, live_server.url, create_user("staff"), event)
    page.wait_for_selector('body[data-list-size="1"]', state="attached")
    # The event ended two days ago (as the list on the phone says): any page forgets it.
    page.evaluate(
        """(eventId) => new Promise((resolve) => {
        const request = indexedDB.open('reslog-checkin');
        request.onsuccess = () => {
            const db = request.result;
            const store = db.transaction('lists', 'readwrite').objectStore('lists');
            const get = store.get(eventId);
            get.onsuccess = () => {
                const list = get.result;
                list.ends_at = new Date(Date.now() - 2 * 86400000).toISOString();
                store.put(list).onsuccess = () => { db.close(); resolve(); };
            };
        };
    })""",
        event.id,
    )
    page.goto(f"{live_server.url}/events?lang=en")
    page.wait_for_function(
        """() => new Promise((resolve) => {
        const request = indexedDB.open('reslog-checkin');
        request.onsuccess = () => {
            const db = request.result;
            const keys = db.transaction('lists').objectStore('lists').getAllKeys();
            keys.onsuccess = () => { resolve(keys.result.length === 0); db.close(); };
        };
    })""",
        timeout=10000,
    )
    context.close()
