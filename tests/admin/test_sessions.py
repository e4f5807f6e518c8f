"""Sessions end when they should: logout, a password change and deactivation end every session
of the user (remember-me cookies included); an idle session ends by itself; failed logins cost
the same for known and unknown accounts."""

from __future__ import annotations

import time

import pytest

from tests.support.factories import PASSWORD
from tests.support.forms import csrf_token, post_form

COOKIES = ("session", "remember_token")


def _login(client, user, remember: bool = True):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "1"
    resp = post_form(client, "/login", data)
    assert resp.status_code == 302, resp.status_code
    return resp


def _cookies(client) -> dict[str, str]:
    found = {name: client.get_cookie(name) for name in COOKIES}
    assert all(found.values()), "logged in with both a session and a remember-me cookie"
    return {name: cookie.value for name, cookie in found.items()}


def _replay(app, cookies: dict[str, str], only: tuple[str, ...] = COOKIES):
    """A fresh browser carrying copies of the cookies: what does /events answer?"""
    thief = app.test_client()
    for name in only:
        thief.set_cookie(name, cookies[name])
    return thief.get("/events")


def _logged_in(resp) -> bool:
    return resp.status_code == 200


def test_a_copy_of_the_cookies_works_while_the_session_lasts(app, client, create_user):
    user = create_user("organiser")
    _login(client, user)
    cookies = _cookies(client)
    assert _logged_in(_replay(app, cookies))
    # the remember-me cookie alone logs the browser in again
    assert _logged_in(_replay(app, cookies, only=("remember_token",)))


@pytest.mark.parametrize("only", [COOKIES, ("session",), ("remember_token",)])
def test_logout_ends_every_session_and_remember_cookie(app, client, create_user, only):
    user = create_user("organiser")
    other_device = app.test_client()
    _login(client, user)
    _login(other_device, user)
    cookies = _cookies(client)
    resp = client.post("/logout", data={"csrf_token": csrf_token(client, "/events")})
    assert resp.status_code == 302
    replay = _replay(app, cookies, only)
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/login")
    assert other_device.get("/events").status_code == 302  # the other device too
    # logging in again works, with a new cookie
    _login(client, user)
    assert client.get("/events").status_code == 200
    assert _cookies(client)["remember_token"] != cookies["remember_token"]


def test_a_password_change_ends_the_other_sessions(app, client, create_user):
    user = create_user("staff")
    _login(client, user)
    cookies = _cookies(client)
    new_password = "Reyhanlı kapısı 2027"
    resp = post_form(
        client,
        "/account",
        {
            "action": "password",
            "current_password": PASSWORD,
            "new_password": new_password,
            "repeat_password": new_password,
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert client.get("/events").status_code == 200  # this browser stays logged in
    for only in (COOKIES, ("remember_token",)):
        assert _replay(app, cookies, only).status_code == 302
    old = {"email": user.email, "password": PASSWORD}
    assert post_form(app.test_client(), "/login", old).status_code == 401


def test_deactivation_ends_every_session(app, client, runner, create_user):
    user = create_user("organiser")
    _login(client, user)
    cookies = _cookies(client)
    result = runner.invoke(args=["users", "deactivate", user.email])
    assert result.exit_code == 0, result.output
    for only in (COOKIES, ("session",), ("remember_token",)):
        assert _replay(app, cookies, only).status_code == 302
    # reactivating does not bring the old cookies back
    assert runner.invoke(args=["users", "reactivate", user.email]).exit_code == 0
    assert _replay(app, cookies).status_code == 302
    _login(client, user)
    assert client.get("/events").status_code == 200


def test_an_idle_session_ends(app, client, create_user, monkeypatch):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = create_user("organiser")
    _login(client, user)
    assert client.get("/events").status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60)
    assert client.get("/events").status_code == 200  # used: the idle time starts again
    monkeypatch.setattr(time, "time", lambda: now + 58 * 60)
    assert client.get("/events").status_code == 200
    cookies = _cookies(client)
    monkeypatch.setattr(time, "time", lambda: now + 89 * 60)
    resp = client.get("/events")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "without activity" in page
    # the browser's remember-me cookie was deleted with it, and a copy of the idle session
    # opens nothing
    assert client.get_cookie("remember_token") is None
    assert _replay(app, cookies, only=("session",)).status_code == 302


def test_an_idle_session_gets_401_from_the_api(app, client, create_user, monkeypatch):
    user = create_user("organiser")
    _login(client, user)
    assert client.get("/api/v1/events").status_code == 200
    now = time.time()
    minutes = app.config["SESSION_IDLE_MINUTES"]
    monkeypatch.setattr(time, "time", lambda: now + minutes * 60 + 61)
    assert client.get("/api/v1/events").status_code == 401


def test_an_old_style_cookie_without_a_version_opens_nothing(app, create_user):
    from reslog_events.auth.views import load_user

    user = create_user("admin")
    assert load_user(f"{user.id}:0") is not None
    for value in (str(user.id), f"{user.id}:1", f"{user.id}:²", f"{user.id}:", ":0", "x:0"):
        assert load_user(value) is None, value


def test_an_empty_login_form_names_the_missing_fields(client):
    resp = post_form(client, "/login", {"email": "", "password": ""})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Wrong email or password" not in html
    assert 'id="e-email"' in html and 'id="e-password"' in html
    resp = post_form(client, "/login", {"email": "someone@example.org", "password": ""})
    assert resp.status_code == 422
    assert 'id="e-password"' in resp.get_data(as_text=True)
    assert 'id="e-email"' not in resp.get_data(as_text=True)


def test_a_failed_login_checks_one_hash_for_known_and_unknown_accounts(
    client, create_user, monkeypatch
):
    from reslog_events.auth import operations

    user = create_user("organiser")
    tokenless = create_user("staff", password="")
    calls: list[str] = []
    real = operations.check_password_hash

    def counting(stored: str, password: str) -> bool:
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(operations, "check_password_hash", counting)
    timings = {}
    for label, email in (
        ("known", user.email),
        ("unknown", "nobody@example.org"),
        ("no password", tokenless.email),
    ):
        calls.clear()
        started = time.perf_counter()
        resp = post_form(client, "/login", {"email": email, "password": "wrong password"})
        timings[label] = time.perf_counter() - started
        assert resp.status_code == 401
        assert len(calls) == 1 and calls[0].startswith("scrypt:"), label
    # loosely: the unknown account costs a scrypt too (it was 1 ms against 75 ms)
    assert timings["unknown"] > timings["known"] / 4, timings


def test_deactivation_from_the_admin_page_ends_every_session(app, client, create_user):
    from tests.support.factories import AuthActions

    user = create_user("coordinator")
    _login(client, user)
    cookies = _cookies(client)
    admin = app.test_client()
    AuthActions(admin, create_user).login("admin")
    token = csrf_token(admin, f"/admin/users/{user.id}")
    assert (
        admin.post(f"/admin/users/{user.id}/deactivate", data={"csrf_token": token}).status_code
        == 302
    )
    assert client.get("/reports").status_code == 302  # the browser itself
    for only in (COOKIES, ("remember_token",)):
        assert _replay(app, cookies, only).status_code == 302
