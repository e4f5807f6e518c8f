"""In Debian's Chromium: an organiser opens the event's minutes and documents from the event
page, attaches a file with a Turkish name for the invitees, sees it listed, and an invitee finds
it on their RSVP page and downloads it under its name."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from reslog_events.documents.models import EventDocument
from reslog_events.documents.storage import get_storage
from reslog_events.extensions import db
from tests.documents.conftest import PDF
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_upload_on_the_organiser_page(
    app, live_server, page, tmp_path, create_user, create_event, create_invitation
):
    organiser = create_user("organiser")
    event = create_event(title="Çukurova Yuvarlak Masa")
    invitee = create_invitation(event=event, status="accepted")
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    upload = tmp_path / "Şişli_tutanak.pdf"
    upload.write_bytes(PDF)

    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", organiser.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{live_server.url}/events/{event.id}?lang=tr")
    page.get_by_role("link", name="Tutanaklar ve belgeler").click()
    page.set_input_files("#f-file", str(upload))
    page.select_option("#f-visibility", "invitees")
    page.get_by_role("button", name="Ekle", exact=True).click()
    page.wait_for_url(lambda url: url.endswith(f"/events/{event.id}/documents"))
    assert "Şişli_tutanak.pdf eklendi." in page.locator(".flash").inner_text()
    row = page.locator("table.documents tbody tr")
    assert row.count() == 1 and "Şişli_tutanak.pdf" in row.inner_text()

    db.session.expire_all()
    document = db.session.scalar(sa.select(EventDocument))
    assert document.title == "Şişli_tutanak.pdf" and document.visibility.value == "invitees"
    assert get_storage().exists(document.storage_key)

    page.goto(f"{live_server.url}/rsvp/{invitee.rsvp_token}?lang=tr")
    link = page.locator("#documents a", has_text="Şişli_tutanak.pdf")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Şişli_tutanak.pdf"
    assert Path(download.path()).read_bytes() == PDF
    assert problems == []
