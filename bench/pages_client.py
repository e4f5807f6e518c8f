"""The client of bench.pages: a browser (one connection, its cookies, a login) and the requests
of each kind of page measured (Pages: the RSVP page, answering, the answers page, the
dashboard), each checked for the status it must answer; bench.surge_crowd keeps cookies the
same way (keep_cookies).
"""

from __future__ import annotations

import http.client
import random
import re
from urllib.parse import urlencode

from bench.pages_data import PASSWORD, Data

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ANSWERS = ["accept"] * 70 + ["tentative"] * 15 + ["decline"] * 15


# -- a browser ---------------------------------------------------------------------------------


class Browser:
    """One client with its cookies; the connection is reopened when the server closes it."""

    def __init__(self, port: int, profile: str | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.profile = profile

    def request(self, method: str, path: str, form: list | None = None, label: str = ""):
        headers = {"Accept-Language": "tr", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.profile and label:
            headers["X-Bench-Profile"] = label
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.conn.port}"
        self.conn.request(method, path, body, headers)
        response = self.conn.getresponse()
        data = response.read()
        keep_cookies(response, self.cookies)
        if response.will_close:
            self.conn.close()
        return response.status, response.getheader("Location"), data

    def login(self, email: str) -> None:
        _status, _loc, page = self.request("GET", "/login")
        token = _CSRF.search(page.decode())
        form = [("email", email), ("password", PASSWORD)]
        status, _loc, _page = self.request(
            "POST", "/login", form + ([("csrf_token", token.group(1))] if token else [])
        )
        if status != 302:
            raise SystemExit(f"login answered {status}")


def expect(status: int, wanted: int, what: str) -> None:
    if status != wanted:
        raise SystemExit(f"{what} answered {status}, not {wanted}")


def keep_cookies(response: http.client.HTTPResponse, cookies: dict[str, str]) -> None:
    """Remember the cookies a response sets (name and value only), as a browser would."""
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]


class Pages:
    """Sends each kind of request; `answer` takes fresh invitees from the pool."""

    def __init__(self, data: Data, port: int, profile: str | None = None) -> None:
        self.data = data
        self.port = port
        self.profile = profile
        self.viewers = data.tokens[: len(data.tokens) // 5]
        self.answerers = data.answerers
        self.organiser = Browser(port, profile)
        self.organiser.login(data.organiser)
        self.page_count = max(1, (len(data.tokens) + 99) // 100)
        self.n = 0

    def rsvp_page(self, count: int) -> None:
        browser = Browser(self.port, self.profile)
        for _ in range(count):
            self.n += 1
            token = self.viewers[self.n % len(self.viewers)]
            status, _loc, _page = browser.request("GET", f"/rsvp/{token}", label="rsvp_page")
            expect(status, 200, "the RSVP page")

    def answer_forms(self, count: int) -> list[tuple[Browser, str, list]]:
        """The forms to send (fetched before the CPU is read: not part of the answer)."""
        forms = []
        for _ in range(count):
            token = next(self.answerers)
            browser = Browser(self.port, self.profile)
            status, _loc, page = browser.request("GET", f"/rsvp/{token}")
            expect(status, 200, "the RSVP page")
            found = _CSRF.search(page.decode())
            fields = [("response", random.choice(ANSWERS)), ("consent_data", "1")]
            forms.append(
                (browser, token, fields + ([("csrf_token", found.group(1))] if found else []))
            )
        return forms

    def answer(self, forms: list[tuple[Browser, str, list]]) -> None:
        for browser, token, fields in forms:
            status, location, _page = browser.request(
                "POST", f"/rsvp/{token}", fields, label="answer"
            )
            expect(status, 303, "the answer")
            status, _loc, _page = browser.request("GET", location, label="answer")
            expect(status, 200, "the page after the answer")

    def answers_page(self, count: int) -> None:
        for _ in range(count):
            self.n += 1
            page = self.n % self.page_count + 1
            path = f"/events/{self.data.event_id}/answers?page={page}"
            status, _loc, _page = self.organiser.request("GET", path, label="answers_page")
            expect(status, 200, "the answers page")

    def dashboard(self, count: int) -> None:
        for _ in range(count):
            status, _loc, _page = self.organiser.request("GET", "/reports", label="dashboard")
            expect(status, 200, "the dashboard")
