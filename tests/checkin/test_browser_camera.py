"""A phone without a camera: no black box above the result, a translated notice that points to
the code field instead (Chromium without a camera, against one with a fake camera)."""

from __future__ import annotations

import pytest

from tests.checkin.test_browser import log_in
from tests.support.browser import launch_chromium

pytestmark = pytest.mark.browser

FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
NOTICE = {
    "tr": "Bu cihazda kamera yok.",
    "ar": "لا توجد كاميرا في هذا الجهاز.",
    "sv": "Den här enheten har ingen kamera.",
}


def _scanner(playwright, args, live_server, user, event, language):
    browser = launch_chromium(playwright, args)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/events/{event.id}/checkin?lang={language}")
    page.wait_for_selector('body[data-checkin-ready="true"]', state="attached")
    page.fill("#gate-input", "A")
    page.click("#gate-form button[type=submit]")
    return browser, page, errors


@pytest.mark.parametrize("language", ["tr", "ar", "sv"])
def test_no_camera_shows_a_notice_not_a_black_box(
    _playwright, live_server, create_user, create_event, language
):
    event = create_event()
    staff = create_user("staff")
    browser, page, errors = _scanner(_playwright, [], live_server, staff, event, language)
    page.wait_for_selector(".camera.is-unavailable")
    assert not page.is_visible("#camera-video")
    assert page.text_content("#camera-status").startswith(NOTICE[language])
    assert not page.is_visible("#camera-toggle")  # nothing to retry without a camera
    box = page.locator(".camera").bounding_box()
    assert box["height"] < 150, box  # the notice, not a 4:3 area of black
    assert page.is_visible("#code-input")
    assert errors == []
    browser.close()


def test_with_a_camera_the_picture_is_shown(_playwright, live_server, create_user, create_event):
    event = create_event()
    staff = create_user("staff")
    from playwright.sync_api import expect

    browser, page, errors = _scanner(_playwright, FAKE_CAMERA, live_server, staff, event, "tr")
    expect(page.locator("#camera-status")).to_have_text("Kamerayı QR koda tutun.")
    assert page.is_visible("#camera-video")
    assert page.locator(".camera.is-unavailable").count() == 0
    assert page.locator(".camera").bounding_box()["height"] > 200
    assert errors == []
    browser.close()
