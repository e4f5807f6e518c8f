"""In Debian's Chromium: an organiser writes a message to the no-shows, sees the count and each
language's preview, and only the confirmation sends it; the emails then leave through a real
worker."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reslog_events.checkin.models import CheckIn
from reslog_events.extensions import db
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_preview_then_confirm(
    app,
    live_server,
    page,
    stub_worker,
    create_user,
    create_event,
    create_invitation,
    create_contact,
):
    organiser = create_user("organiser")
    event = create_event(
        title="Göç ve Yerel Yönetim Forumu",
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 14, 14, 0, tzinfo=UTC),
        languages=["tr"],
    )
    absent = [
        create_invitation(event=event, contact=create_contact(language=language), status="accepted")
        for language in ("tr", "ar")
    ]
    present = create_invitation(event=event, status="accepted")
    db.session.add(
        CheckIn(event_id=event.id, invitation_id=present.invitation.id, day=date(2026, 3, 14))
    )
    db.session.commit()
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

    page.goto(f"{live_server.url}/events/{event.id}?lang=en")
    page.get_by_role("link", name="Message to a group").click()
    assert page.locator('[data-count="no_show"]').inner_text() == "2 people"
    page.get_by_label("Those who accepted but did not come").check()
    page.fill("#f-subject", "Sizi özledik")
    page.fill("#f-body", "Sunumlar ekte.")
    page.locator("summary").click()
    page.fill("#f-subject_ar", "افتقدناكم")
    page.fill("#f-body_ar", "العروض مرفقة.")
    page.get_by_role("button", name="Preview").click()

    assert "2 people will get this email." in page.locator("#recipient-count").inner_text()
    assert "افتقدناكم" in page.locator("#preview-ar").locator("xpath=..").inner_text()
    stub_worker.drain()
    assert stub_worker.messages() == []  # nothing before the confirmation

    page.get_by_role("button", name="Send to 2 people").click()
    page.wait_for_url(lambda url: url.endswith(f"/events/{event.id}/messages"))
    assert "on its way to 2 people" in page.locator(".flash").inner_text()
    stub_worker.drain()
    sent = {m["To"].addresses[0].addr_spec: str(m["Subject"]) for m in stub_worker.messages()}
    assert sent == {
        absent[0].invitation.contact.email: "Sizi özledik",
        absent[1].invitation.contact.email: "افتقدناكم",
    }
    assert problems == []
