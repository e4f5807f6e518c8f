"""The scanner page in a real Chromium with a fake camera that films an invitation's QR code,
then offline: a scan is queued on the phone and reaches the server when the network is back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import qrcode
import sqlalchemy as sa
from PIL import Image

from reslog_events.checkin.models import CheckIn, ScanLog
from reslog_events.extensions import db
from tests.support.browser import launch_chromium
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 640, 480


def write_y4m(path: Path, text: str, frames: int = 5) -> Path:
    """A YUV4MPEG2 video (640×480, 4:2:0) whose frames show `text` as a QR code on white."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    side = min(HEIGHT - 40, code.size[0])
    code = code.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def snapshot(page, name: str) -> None:
    """With CHECKIN_SCREENSHOTS=<folder>, keep what the phone showed (for reviewing the page)."""
    folder = os.environ.get("CHECKIN_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def checkin_of(invitation_id: int) -> CheckIn | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(CheckIn).where(CheckIn.invitation_id == invitation_id))


@pytest.fixture
def camera_browser(_playwright, tmp_path):
    """Chromium whose camera films whatever `film(text)` wrote (before the first page opens)."""
    video = tmp_path / "camera.y4m"
    browsers = []

    def launch(text: str):
        write_y4m(video, text)
        browser = launch_chromium(
            _playwright,
            [
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/login")
    page.fill("#f-email", user.email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_camera_scan_then_offline_queue(
    live_server, camera_browser, create_user, create_event, door, invitee
):
    from playwright.sync_api import expect

    event = create_event(title="Göç Forumu")
    filmed = invitee(event, name="Kameradaki Kişi", organisation="Mersin Büyükşehir")
    typed = invitee(event, name="Çevrimdışı Ayşe")
    raced = invitee(event, name="İki Kapılı İbrahim")
    staff = create_user("staff")

    browser = camera_browser(filmed.checkin_code)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, staff)
    page.goto(f"{live_server.url}/events/{event.id}/checkin")

    # The gate is asked once; then the camera starts and the QR code in view is checked in.
    page.fill("#gate-input", "Kapı A")
    page.click("#gate-form button[type=submit]")
    page.wait_for_selector('#result[data-result="ok"]', timeout=20000)
    assert page.text_content("#result-name") == "Kameradaki Kişi"
    assert page.text_content("#result-org") == "Mersin Büyükşehir"
    assert page.get_attribute("#result", "aria-live") == "assertive"
    snapshot(page, "1-camera-ok")
    row = checkin_of(filmed.invitation.id)
    assert row is not None and row.gate == "Kapı A" and row.method == "scan"
    assert page.text_content("#count-in") == "1"
    # Still filming the same code: it is not scanned again.
    page.wait_for_timeout(800)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanLog)) == 1
    page.click("#camera-toggle")
    # A mistake: undo the last check-in.
    page.click("#undo-button")
    page.wait_for_selector('#result[data-result="undone"]')
    assert checkin_of(filmed.invitation.id) is None
    assert page.is_hidden("#undo-button")
    page.wait_for_selector('body[data-list-size="3"]', state="attached")

    # Offline: scans are answered from the list kept on the phone and queued.
    context.set_offline(True)
    page.wait_for_selector("#net-status.net-offline")
    page.fill("#code-input", typed.checkin_code)
    page.press("#code-input", "Enter")
    page.wait_for_selector('#result[data-result="offline_ok"]')
    assert page.text_content("#result-name") == "Çevrimdışı Ayşe"
    page.fill("#code-input", raced.checkin_code)
    page.press("#code-input", "Enter")
    expect(page.locator("#result-name")).to_have_text("İki Kapılı İbrahim")
    assert page.get_attribute("#queue-status", "data-count") == "2"
    snapshot(page, "2-offline-queued")
    assert checkin_of(typed.invitation.id) is None
    # Meanwhile another gate (online) checks İbrahim in.
    assert door(event).scan(raced.checkin_code, gate="B").status_code == 201

    # Back online: the queue is sent; the duplicate between gates is reported, not lost.
    context.set_offline(False)
    page.wait_for_selector("#queue-status[hidden]", state="attached", timeout=20000)
    row = checkin_of(typed.invitation.id)
    assert row is not None and row.gate == "Kapı A"
    assert page.is_visible("#sync-panel")
    assert page.is_hidden("#undo-button")  # the last one turned out a duplicate
    assert "İki Kapılı İbrahim" in page.text_content("#sync-notices")
    page.click("#sync-panel summary")
    snapshot(page, "3-back-online")
    logged = db.session.scalars(sa.select(ScanLog.result).order_by(ScanLog.id)).all()
    assert sorted(logged) == ["already_checked_in", "ok", "ok", "ok", "undone"]
    assert errors == []
    context.close()
