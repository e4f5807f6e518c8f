"""Keyboard-only use (WCAG 2.1.1, 2.4.7): answering the Arabic RSVP page, the scanner's search
and check-in, the dashboard's filters and sorting; every stop shows its focus."""

from __future__ import annotations

import pytest

from tests.support.accessibility import DESKTOP, logged_in_state

pytestmark = pytest.mark.browser


def tab_until(page, selector: str, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab until the focused element matches `selector`; each stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{selector} never got the keyboard focus")


def assert_focus_visible(page) -> None:
    """The focused element has an outline of at least 2 px (WCAG 2.4.7)."""
    problem = page.evaluate(
        """() => {
          const el = document.activeElement;
          const s = getComputedStyle(el);
          if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) return null;
          return `${el.outerHTML.slice(0, 100)}: outline ${s.outlineStyle} ${s.outlineWidth}`;
        }"""
    )
    assert problem is None, f"no visible focus on {problem}"


def submit_by_keyboard(page, form: str) -> None:
    tab_until(page, f"{form} button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_arabic_rsvp_page_by_keyboard_alone(
    live_server, new_page, rsvp_event, create_contact, create_invitation
):
    from reslog_events.extensions import db

    contact = create_contact(full_name="Sara Lindberg", language="ar")
    new = create_invitation(event=rsvp_event, contact=contact)
    page = new_page()
    page.goto(f"{live_server.url}/rsvp/{new.rsvp_token}")  # the invitee's language by default
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    # The page is mirrored: the answer's radio buttons sit on the right of their labels.
    radio = page.locator("#f-response-accept").bounding_box()
    label = page.locator("label[for=f-response-accept]").bounding_box()
    assert radio["x"] > label["x"]
    tab_until(page, "#f-response-accept")
    page.keyboard.press("Space")
    tab_until(page, "#f-consent_data")
    page.keyboard.press("Space")
    submit_by_keyboard(page, ".rsvp-form")
    page.locator("img.rsvp-qr").wait_for()
    db.session.expire_all()
    assert new.invitation.status.value == "accepted"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.errors == []


def test_scanner_search_and_check_in_by_keyboard(
    live_server, browser, new_page, create_user, door_event
):
    import sqlalchemy as sa
    from playwright.sync_api import expect

    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    event, people = door_event
    state = logged_in_state(browser, live_server.url, create_user("staff"))
    page = new_page(viewport=DESKTOP, storage_state=state, base_url=live_server.url)
    page.goto(f"{live_server.url}/events/{event.id}/checkin?lang=en")
    page.wait_for_selector("body[data-checkin-ready]")
    # The gate dialog takes the focus; Enter chooses the gate.
    assert page.evaluate("document.activeElement.id") == "gate-input"
    page.keyboard.type("B")
    page.keyboard.press("Enter")
    page.locator("#gate-dialog").wait_for(state="hidden")

    tab_until(page, "#search-panel > summary")
    page.keyboard.press("Enter")
    tab_until(page, "#search-input")
    page.keyboard.type("Lindqvist")
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-status").get_attribute("role") == "status"
    tab_until(page, "#search-results button")
    button = page.evaluate(
        """() => {
          const el = document.activeElement;
          const whom = document.getElementById(el.getAttribute("aria-describedby"));
          return [el.textContent, whom.textContent];
        }"""
    )
    assert button == ["Check in", "Erik Lindqvist"]
    page.keyboard.press("Enter")

    # The answer is spoken (a live region), written, and shown by a shape as well as a colour.
    page.locator('#result[data-result="ok"]').wait_for()
    result = page.locator("#result")
    assert result.get_attribute("aria-live") == "assertive"
    assert page.text_content("#result-title") == "Checked in"
    assert page.text_content("#result-name") == "Erik Lindqvist"
    assert page.locator("#result .icon-ok").is_visible()
    assert not page.locator("#result .icon-refused").is_visible()
    # The list is redrawn; the focus is back in the search field, ready for the next name.
    expect(page.locator("#search-input")).to_be_focused()
    db.session.expire_all()
    row = db.session.scalar(
        sa.select(CheckIn).where(CheckIn.invitation_id == people["Erik Lindqvist"].invitation.id)
    )
    assert row is not None and row.method == "manual" and row.gate == "B"

    # A refused code: other words, another shape.
    tab_until(page, "#code-input", key="Shift+Tab")
    page.keyboard.type("NO-SUCH-CODE-42")
    page.keyboard.press("Enter")
    page.locator('#result[data-result="invalid"]').wait_for()
    assert page.locator("#result .icon-refused").is_visible()
    assert not page.locator("#result .icon-ok").is_visible()
    assert page.errors == []


def test_dashboard_filters_by_keyboard(live_server, browser, new_page, create_user, reports_data):
    state = logged_in_state(browser, live_server.url, create_user("coordinator"))
    page = new_page(viewport=DESKTOP, storage_state=state)
    page.goto(f"{live_server.url}/reports?lang=en")
    tab_until(page, "#f-group_by")
    for _ in range(12):  # arrows move through the options of a closed select
        if page.eval_on_selector("#f-group_by", "el => el.value") == "month":
            break
        page.keyboard.press("ArrowDown")
    tab_until(page, "#f-from")
    page.keyboard.type("04012024")  # month, day, year in an en-US browser
    assert page.eval_on_selector("#f-from", "el => el.value") == "2024-04-01"
    tab_until(page, "#f-kind")
    page.keyboard.type("Workshop")
    assert page.eval_on_selector("#f-kind", "el => el.value") == "workshop"
    submit_by_keyboard(page, "form.filters")
    assert "group_by=month" in page.url and "from=2024-04-01" in page.url
    assert "kind=workshop" in page.url
    assert page.locator(".report-table caption").inner_text().startswith("Attendance by month")
    rows = page.locator(".report-table tbody tr")
    assert rows.count() == 1  # only the May workshop

    # Sorting a column works from the keyboard too, and says how it is sorted.
    tab_until(page, ".report-table thead th:nth-child(2) button")
    page.keyboard.press("Enter")
    assert page.get_attribute(".report-table thead th:nth-child(2)", "aria-sort") == "descending"
    assert page.errors == []
