"""In Debian's Chromium on a phone-sized page: an MBB organiser puts a ÇBB door staff member on
the event's team from the event page; that person's phone then lists the event for today and
opens its scanner."""

from __future__ import annotations

import pytest

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_a_team_member_from_another_union_gets_the_event_on_their_phone(
    app, live_server, page, world
):
    event = world.events["MBB"]
    door = world.user("ÇBB", "staff")
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    _login(page, live_server.url, door.email)
    assert page.locator("h1").inner_text() == "Today at the door"
    assert page.locator(".event-card h2").all_inner_texts() == ["Sarıçam Çalıştayı"]
    assert page.goto(f"{live_server.url}/events/{event.id}/checkin").status == 404
    page.context.clear_cookies()

    _login(page, live_server.url, world.user("MBB", "organiser").email)
    page.goto(f"{live_server.url}/events/{event.id}")
    page.select_option("#f-team-user", str(door.id))
    page.click("text=Add to the team")
    page.wait_for_url(lambda url: url.endswith("#team-heading"))
    assert door.name in page.locator(".team-list").inner_text()
    page.context.clear_cookies()

    _login(page, live_server.url, door.email)
    cards = page.locator(".event-card h2").all_inner_texts()
    assert sorted(cards) == ["Sarıçam Çalıştayı", "Şişli Göç Forumu"]
    card = page.locator(".event-card", has_text="Şişli Göç Forumu")
    card.locator("text=Open the scanner").click()
    page.wait_for_url(f"{live_server.url}/events/{event.id}/checkin")
    assert problems == []
