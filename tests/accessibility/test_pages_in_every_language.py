"""WCAG 2.2 AA checks by axe-core in Debian's Chromium, on the invitee's RSVP page, the door
staff's scanner, the coordinators' dashboard and the pages after the event (the certificate's
verification, the organisers' messages), in each of the four languages."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.support.accessibility import DESKTOP, LANGUAGES, Findings, logged_in_state

pytestmark = pytest.mark.browser


def test_rsvp_page_in_every_language(
    live_server, new_page, rsvp_event, create_contact, create_invitation
):
    findings = Findings()
    for lang in LANGUAGES:
        contact = create_contact(full_name="Sara Lindberg", language=lang)
        new = create_invitation(event=rsvp_event, contact=contact)
        page = new_page()
        page.goto(f"{live_server.url}/rsvp/{new.rsvp_token}?lang={lang}")
        findings.language(page, lang)
        findings.check(page, f"RSVP {lang}, not answered")

        # Accept without consent: the error summary and the field's error are shown.
        page.check("#f-response-accept")
        with page.expect_navigation():
            page.click(".rsvp-form button[type=submit]")
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#e-consent_data").get_attribute("role") == "alert"
        findings.language(page, lang)
        findings.check(page, f"RSVP {lang}, with a validation error")

        page.check("#f-consent_data")
        with page.expect_navigation():
            page.click(".rsvp-form button[type=submit]")
        page.locator("img.rsvp-qr").wait_for()
        findings.check(page, f"RSVP {lang}, accepted (QR code shown)")
        assert page.errors == []
    findings.assert_none()


def test_scanner_page_in_every_language(live_server, browser, new_page, create_user, door_event):
    event, people = door_event
    state = logged_in_state(browser, live_server.url, create_user("staff"))
    codes = [new.checkin_code for new in people.values()]
    findings = Findings()
    for lang, code in zip(LANGUAGES, codes + [codes[0]], strict=True):
        page = new_page(storage_state=state, base_url=live_server.url)
        page.goto(f"{live_server.url}/events/{event.id}/checkin?lang={lang}")
        page.wait_for_selector("body[data-checkin-ready]")
        findings.language(page, lang)
        # First visit on this phone: the gate dialog is open.
        page.locator("#gate-dialog[open]").wait_for()
        findings.check(page, f"scanner {lang}, choosing the gate")
        page.fill("#gate-input", "A")
        page.press("#gate-input", "Enter")
        page.locator("#gate-dialog").wait_for(state="hidden")
        # The (fake) camera films; its caption and button sit on the video.
        page.locator("#camera-toggle").wait_for()
        findings.check(page, f"scanner {lang}, camera on", ".camera")
        page.click("#camera-toggle")  # off again: decoding frames would only slow the checks down

        page.fill("#code-input", code)
        page.press("#code-input", "Enter")
        page.locator("#result[data-result]").wait_for()
        expected = "already_checked_in" if lang == "sv" else "ok"
        assert page.get_attribute("#result", "data-result") == expected
        page.click("#search-panel summary")
        page.click("#walkin-panel summary")
        page.fill("#search-input", "a")
        page.locator("#search-results li").first.wait_for()
        findings.check(page, f"scanner {lang}, after a scan, panels open")

        page.fill("#code-input", "NOT-A-CODE-123")
        page.press("#code-input", "Enter")
        page.locator('#result[data-result="invalid"]').wait_for()
        findings.check(page, f"scanner {lang}, refused code", "#result")
        page.fill("#walkin-name", "")
        page.click("#walkin-form button[type=submit]")
        page.locator("#walkin-name-error").wait_for()
        findings.check(page, f"scanner {lang}, walk-in error", "#walkin-form")
        assert page.errors == []
    findings.assert_none()


def test_dashboard_in_every_language(live_server, browser, new_page, create_user, reports_data):
    state = logged_in_state(browser, live_server.url, create_user("coordinator"))
    findings = Findings()
    for lang in LANGUAGES:
        page = new_page(viewport=DESKTOP, storage_state=state)
        page.goto(f"{live_server.url}/reports?lang={lang}")
        findings.language(page, lang)
        assert page.locator(".report-table tbody tr").count() >= 3
        findings.check(page, f"dashboard {lang}")
        page.goto(f"{live_server.url}/reports?from=2024-13-40&group_by=month")
        assert page.locator(".field.has-error").count() == 1
        findings.check(page, f"dashboard {lang}, with a filter error")
        assert page.errors == []
    findings.assert_none()


def test_after_the_event_pages_in_every_language(
    live_server, browser, new_page, create_user, create_event, create_contact, create_invitation
):
    """The certificate's verification page, the RSVP page offering the certificate, and the
    organisers' message page with its preview."""
    from reslog_events.certificates.models import Certificate
    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    event = create_event(
        title="Şehir Dayanıklılığı Çalıştayı",
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=ZoneInfo("UTC")),
        ends_at=datetime(2026, 3, 14, 14, 0, tzinfo=ZoneInfo("UTC")),
        languages=["tr", "ar"],
    )
    new = create_invitation(
        event=event,
        contact=create_contact(full_name="محمد العلي", language="ar"),
        status="accepted",
    )
    create_invitation(event=event, status="accepted")  # a no-show
    db.session.add(
        CheckIn(event_id=event.id, invitation_id=new.invitation.id, day=date(2026, 3, 14))
    )
    db.session.commit()
    findings = Findings()
    page = new_page()
    page.goto(f"{live_server.url}/rsvp/{new.rsvp_token}")
    findings.language(page, "ar")
    findings.check(page, "RSVP ar, certificate offered")
    pdf = page.request.get(f"{live_server.url}/rsvp/{new.rsvp_token}/certificate.pdf")
    assert pdf.status == 200
    code = db.session.scalar(db.select(Certificate.code))  # issued by that download
    for lang in LANGUAGES:
        page.goto(f"{live_server.url}/verify/{code}?lang={lang}")
        findings.language(page, lang)
        findings.check(page, f"verification {lang}")

    state = logged_in_state(browser, live_server.url, create_user("organiser"))
    for lang in ("en", "ar"):
        page = new_page(storage_state=state, base_url=live_server.url)
        page.goto(f"{live_server.url}/events/{event.id}/messages?lang={lang}")
        findings.language(page, lang)
        findings.check(page, f"message form {lang}")
        page.check("#f-audience-no_show")
        page.fill("#f-subject", "Sunumlar")
        page.fill("#f-body", "Sunumlar ekte.")
        with page.expect_navigation():
            page.click("button[value=preview]")
        page.locator("#recipient-count").wait_for()
        findings.check(page, f"message preview {lang}")
        assert page.errors == []
    findings.assert_none()
