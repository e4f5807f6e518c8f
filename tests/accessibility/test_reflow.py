"""Reflow (WCAG 1.4.10): the RSVP page, the scanner and the dashboard at 320 CSS px (1280 px at
400 % zoom), in Arabic and English, without sideways scrolling."""

from __future__ import annotations

import json

import pytest

from tests.support.accessibility import logged_in_state

pytestmark = pytest.mark.browser


def overflow(page) -> list[str]:
    """Elements sticking out of a 320 px wide page (data tables scroll inside their own box)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.querySelectorAll("body *")]
            .filter((el) => !el.closest(".table-wrap") && el.getClientRects().length)
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.right > width + 1 || r.left < -1;
            })
            .slice(0, 8).map((el) => el.outerHTML.slice(0, 120));
        }"""
    )


def test_pages_reflow_at_320_css_pixels(
    live_server, browser, new_page, create_user, rsvp_event, create_invitation, door_event,
    reports_data,
):  # fmt: skip
    event, _people = door_event
    staff = logged_in_state(browser, live_server.url, create_user("staff"))
    coordinator = logged_in_state(browser, live_server.url, create_user("coordinator"))
    narrow = {"width": 320, "height": 640}
    problems = {}
    for lang in ("ar", "en"):
        token = create_invitation(event=rsvp_event).rsvp_token
        pages = [
            (f"RSVP {lang}", None, f"/rsvp/{token}?lang={lang}"),
            (f"scanner {lang}", staff, f"/events/{event.id}/checkin?lang={lang}"),
            (f"dashboard {lang}", coordinator, f"/reports?lang={lang}"),
        ]
        for name, state, path in pages:
            page = new_page(viewport=narrow, storage_state=state, base_url=live_server.url)
            page.goto(live_server.url + path)
            if "checkin" in path:
                page.locator("#gate-dialog[open]").wait_for()
                page.fill("#gate-input", "A")
                page.press("#gate-input", "Enter")
            if sticking_out := overflow(page):
                problems[name] = sticking_out
    assert problems == {}, "pages scroll sideways at 320 CSS px: " + json.dumps(problems, indent=1)
