"""In Debian's Chromium: the organiser's progress view updates itself (static JS polling the JSON
progress endpoint, strict CSP) while a real worker sends the emails."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reslog_events.extensions import db
from reslog_events.mail.outbox import queue_email
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_progress_view_follows_the_fan_out(
    app, live_server, page, stub_worker, create_user, create_event, create_invitation
):
    organiser = create_user("organiser")
    event = create_event(title="Forum on Resilient Cities")
    rows = [
        queue_email("invitation", invitation=create_invitation(event=event).invitation)
        for _ in range(4)
    ]
    db.session.commit()
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )

    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", organiser.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(
        f"{live_server.url}/events/{event.id}/invitations/progress"
        f"?from_id={rows[0].id}&kind=invitation&lang=tr"
    )
    box = page.locator("#inv-progress")
    heading = page.locator("#inv-progress-heading")
    assert heading.inner_text() == "Gönderiliyor"
    assert box.locator('[data-key="queued"]').inner_text() == "4"
    assert box.get_attribute("data-done") == "false"

    stub_worker.start()  # the worker runs in the background while the page polls
    expect(box).to_have_attribute("data-done", "true", timeout=20_000)
    assert box.locator('[data-key="sent"]').inner_text() == "4"
    assert box.locator('[data-key="queued"]').inner_text() == "0"
    assert page.locator("progress").evaluate("p => p.value === p.max")
    # once all are sent the page says so, not "Gönderiliyor" (Sending) any more
    expect(heading).to_have_text("Gönderildi")
    expect(box.locator('[data-key="status"]')).to_have_text(
        "Tümü e-posta sağlayıcısına teslim edildi."
    )
    assert problems == []
