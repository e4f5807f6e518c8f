"""In Debian's Chromium: an administrator invites a colleague, who chooses a password through
the emailed link and logs in; logging out leaves the cookies worthless."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser

CHOSEN = "Çukurova'da uzun bir parola"


def _log_in(page, url: str, email: str, password: str, remember: bool = False) -> None:
    page.goto(f"{url}/login?lang=en")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    if remember:
        page.check("input[name=remember]")
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda u: "/login" not in u)


def test_invite_set_password_log_in_and_out(
    app, live_server, chromium, stub_worker, create_user, create_organisation
):
    mbb = create_organisation(kind="union", code="MBB")
    admin = create_user("admin")
    problems: list[str] = []
    admin_context = chromium.new_context()
    page = admin_context.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    _log_in(page, live_server.url, admin.email, PASSWORD)
    page.click("nav >> text=Users")
    page.click("text=Invite a user")
    page.fill("input[name=email]", "selin@example.org")
    page.fill("input[name=name]", "Selin Aydın")
    page.select_option("select[name=role]", "staff")
    page.select_option("select[name=union_id]", str(mbb.id))
    page.select_option("select[name=language]", "tr")
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r"/admin/users/\d+$"))
    assert "Selin Aydın" in page.content()
    admin_context.close()

    stub_worker.drain()
    [message] = stub_worker.messages()
    text = message.get_body(("plain",)).get_content()
    path = re.search(r"/account/password/[A-Za-z0-9_-]+", text).group(0)

    invitee = chromium.new_context()
    page = invitee.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}{path}?lang=en")
    page.fill("input[name=new_password]", CHOSEN)
    page.fill("input[name=repeat_password]", CHOSEN)
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r"/login"))
    _log_in(page, live_server.url, "selin@example.org", CHOSEN, remember=True)
    assert page.locator("text=Log out").count() == 1
    cookies = invitee.cookies()
    assert {c["name"] for c in cookies} >= {"session", "remember_token"}

    page.click("text=Log out")
    page.wait_for_url(re.compile(r"/login"))
    invitee.close()

    # the cookies copied before the logout open nothing
    thief = chromium.new_context()
    thief.add_cookies(cookies)
    page = thief.new_page()
    page.goto(f"{live_server.url}/events")
    assert "/login" in page.url
    # and the link was for one use
    page.goto(f"{live_server.url}{path}?lang=en")
    assert "no longer works" in page.content()
    thief.close()
    assert problems == []
