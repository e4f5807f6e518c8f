"""In Debian's Chromium on a phone-sized screen: the invitee opens the link from the real
invitation email, answers with the keyboard only, sees the QR code; the QR code in the real
confirmation email decodes to the code the door expects."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
import zxingcpp
from PIL import Image

pytestmark = pytest.mark.browser


def _csp_watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never got the focus with Tab")


def _link_from_invitation_email(api, stub_worker, event, contact) -> str:
    resp = api("organiser").post(
        f"/api/v1/events/{event.id}/invitations", json={"contact_ids": [contact.id]}
    )
    assert resp.status_code == 202, resp.json
    stub_worker.drain()
    (message,) = stub_worker.messages()
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://rsvp\.test(/rsvp/[A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


def test_answer_by_keyboard_on_a_phone_and_scan_the_emailed_code(
    app, live_server, page, api, stub_worker, create_event, create_contact, fresh
):
    from reslog_events.invitations.models import Invitation

    event = create_event(title="Forum on Resilient Cities", capacity=30, languages=["en", "ar"])
    contact = create_contact(full_name="Sara Lindberg", language="en")
    path = _link_from_invitation_email(api, stub_worker, event, contact)
    problems = _csp_watch(page)

    page.goto(live_server.url + path)
    assert page.locator("h1").inner_text() == "Forum on Resilient Cities"
    assert page.viewport_size["width"] == 390

    # First without consent: the error is announced and takes the focus.
    _tab_to(page, "f-response-accept")
    page.keyboard.press("Space")
    _tab_to(page, "f-dietary_needs")
    page.keyboard.type("No gluten, please")
    _tab_to(page, "f-consent_photos")
    page.keyboard.press("Tab")  # past the help text to the button
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#e-consent_data[role=alert]").is_visible()
    assert page.locator("#f-dietary_needs").input_value() == "No gluten, please"

    # Then with it.
    _tab_to(page, "f-consent_data")
    page.keyboard.press("Space")
    assert page.locator("#f-consent_data").is_checked()
    _tab_to(page, "f-consent_photos")
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".rsvp-state").inner_text() == "You are registered."

    qr = page.locator("img.rsvp-qr")
    qr.wait_for()
    assert qr.is_visible()
    assert page.evaluate("document.querySelector('img.rsvp-qr').naturalWidth") > 100
    box = qr.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits the phone's width
    assert page.get_by_role("link", name="Google Calendar").is_visible()
    assert problems == []

    # The confirmation email's QR code is the code the door expects.
    stub_worker.drain()
    confirmation = [m for m in stub_worker.messages() if "registered" in m["Subject"]]
    assert len(confirmation) == 1
    (png,) = [
        part
        for part in confirmation[0].walk()
        if part.get_content_type() == "image/png" and part["Content-ID"]
    ]
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))
    import sqlalchemy as sa

    from reslog_events.extensions import db

    db.session.expire_all()
    inv = db.session.scalar(sa.select(Invitation).where(Invitation.contact_id == contact.id))
    assert inv.status.value == "accepted" and inv.dietary_needs == "No gluten, please"
    assert hashlib.sha256(decoded.text.encode()).hexdigest() == inv.checkin_code_hash


def test_decline_hides_the_needs_and_keeps_working_by_keyboard(
    app, live_server, page, create_invitation
):
    new = create_invitation()
    problems = _csp_watch(page)
    page.goto(f"{live_server.url}/rsvp/{new.rsvp_token}?lang=en")
    assert page.locator("#rsvp-needs").is_visible()
    _tab_to(page, "f-response-accept")
    page.keyboard.press("ArrowDown")  # radio group: arrows move the choice
    page.keyboard.press("ArrowDown")
    assert page.locator("#f-response-decline").is_checked()
    assert not page.locator("#rsvp-needs").is_visible()
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".rsvp-state").inner_text() == "You cannot attend."
    assert problems == []
