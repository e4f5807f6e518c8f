"""The virtual people of bench.traffic: one keep-alive connection each (Http), the event day's
state they share (EventDay), and what each kind of request sends and expects (People: the
invitee's page, answer and QR code, the door's scans and counters, the organiser's pages and
the coordinator's API call), each request numbered and recorded.

People is the base of bench.traffic.Generator, whose __init__ sets the state it uses (plan, day,
rng, records, sequence, started, login_lock).
"""

from __future__ import annotations

import collections
import http.client
import json
import random
import re
import select
import threading
import time
import uuid
from urllib.parse import urlencode

from bench.eventday import GATES, PASSWORD, Plan

#: numbers each request, so that the server's access log (its own time) can be matched to it
SEQ_HEADER = "X-Bench-Seq"
GROUP_BYS = ("organisation", "province", "event", "month", "gender", "role_category")
#: seconds a person waits before trying again after a 503 (the app's Retry-After)
RETRY_AFTER = 5
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Http:
    """One keep-alive connection, used as a browser uses one: an idle connection the server
    has closed (gunicorn closes one idle for its `keepalive` seconds) is not reused, and a
    request that a reused connection lost before any answer came is sent once more on a new
    one (Chromium does both: a socket's liveness check before reuse, and a retry of a request
    whose reused socket was reset or closed with nothing read). `retried` says the last
    request needed that; anything else that fails is the generator's status 0."""

    #: a reused connection failing with these before any answer: the server had closed it
    LOST_BEFORE_ANSWER = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None
        self.retried = False

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        self.retried = False
        if self.conn is not None and _closed_by_server(self.conn):
            self.conn.close()
            self.conn = None
        reused = self.conn is not None
        try:
            return self._once(method, path, body, headers)
        except self.LOST_BEFORE_ANSWER:
            if not reused:
                raise
        self.retried = True
        return self._once(method, path, body, headers)

    def _once(self, method: str, path: str, body: bytes | None, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, resp.headers, data


def _closed_by_server(conn: http.client.HTTPConnection) -> bool:
    """An idle keep-alive socket that is readable has been closed by the server (or holds
    bytes nobody asked for): either way it cannot carry the next request."""
    sock = conn.sock
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _cookies(headers, jar: dict[str, str]) -> None:
    for value in headers.get_all("Set-Cookie") or ():
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def _cookie_header(jar: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}


class EventDay:
    """The state the virtual people share: who answered, who may be scanned, what to retry."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.lock = threading.Lock()
        self.to_answer = collections.deque(
            rng.sample(range(len(plan.invitees)), len(plan.invitees))
        )
        self.answered: dict[int, str] = {}
        self.failed_answers: set[int] = set()
        #: first answers to send again: (not before, index), in order
        self.retry_answers: collections.deque = collections.deque()
        self.jars: dict[int, dict[str, str]] = collections.defaultdict(dict)
        self.csrf: dict[int, str] = {}
        self.ready_to_scan: list[int] = []
        self.scanned: list[int] = []
        self.ok_scans: collections.Counter = collections.Counter()
        #: scans to send again with their nonce: (index, gate, nonce, first)
        self.retry_scans: collections.deque = collections.deque()
        self.unexpected_scans: list[str] = []
        self.organiser_jar: dict[str, str] = {}


class People:
    """Each kind of request as a person (or a phone) sends it; see bench.traffic.Generator."""

    # -- recording ----------------------------------------------------------------------------
    def _send(self, http_, kind, method, path, body=None, headers=None, due=None):
        with self.records_lock:
            seq = self.sequence = self.sequence + 1
        headers = {**(headers or {}), SEQ_HEADER: str(seq)}
        begun = time.perf_counter()
        origin = due if due is not None else begun
        try:
            status, resp_headers, data = http_.request(method, path, body, headers)
            note = ""
            if status == 503:
                note = "retry-after" if resp_headers.get("Retry-After") else "no-retry-after"
            elif http_.retried:
                note = "retried on a new connection"
        except (OSError, http.client.HTTPException) as exc:
            status, resp_headers, data, note = 0, None, b"", type(exc).__name__
        ended = time.perf_counter()
        ms = (ended - origin) * 1000
        record = [round(begun - self.started, 3), kind, status, round(ms, 2), note]
        lag = round((begun - origin) * 1000, 2)
        with self.records_lock:
            self.records.append([*record, round(ended - self.started, 3), lag, seq])
        return status, resp_headers, data

    # -- the people ---------------------------------------------------------------------------
    def login(self, http_) -> None:
        jar = self.day.organiser_jar
        status, headers, data = self._send(http_, "login_form", "GET", "/login")
        if status != 200:
            return
        _cookies(headers, jar)
        token = _CSRF.search(data.decode("utf-8", "replace"))
        form = urlencode(
            {
                "csrf_token": token.group(1) if token else "",
                "email": self.plan.organiser_email,
                "password": PASSWORD,
            }
        ).encode()
        headers_ = {"Content-Type": "application/x-www-form-urlencoded", **_cookie_header(jar)}
        status, headers, _ = self._send(http_, "login", "POST", "/login", form, headers_)
        if headers is not None:
            _cookies(headers, jar)

    def rsvp_view(self, http_, index: int | None = None, due=None) -> None:
        day = self.day
        if index is None:
            index = self.rng.randrange(len(self.plan.invitees))
        invitee = self.plan.invitees[index]
        jar = day.jars[index]
        status, headers, data = self._send(
            http_, "rsvp_view", "GET", f"/rsvp/{invitee.token}", None, _cookie_header(jar), due
        )
        if status == 200:
            _cookies(headers, jar)
            found = _CSRF.search(data.decode("utf-8", "replace"))
            if found:
                day.csrf[index] = found.group(1)

    def rsvp_answer(self, http_, due=None) -> None:
        day = self.day
        with day.lock:
            retry = bool(day.retry_answers) and day.retry_answers[0][0] <= time.monotonic()
            first = retry or bool(day.to_answer)
            if retry:
                index = day.retry_answers.popleft()[1]
            elif first:
                index = day.to_answer.popleft()
            elif day.answered:
                index = self.rng.choice(list(day.answered))
            else:
                return
        if index not in day.csrf:
            self.rsvp_view(http_, index, due)
            due = None
            if index not in day.csrf:
                if first:
                    self._answer_later(index)
                return
        invitee = self.plan.invitees[index]
        fields = [("csrf_token", day.csrf[index]), ("response", invitee.answer)]
        if invitee.answer in ("accept", "tentative"):
            fields.append(("consent_data", "1"))
            if self.rng.random() < 0.3:
                fields.append(("diet_choices", self.rng.choice(["vegetarian", "halal", "vegan"])))
            if self.rng.random() < 0.1:
                fields.append(("interpretation_language", "ar"))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **_cookie_header(day.jars[index]),
        }
        path = f"/rsvp/{invitee.token}"
        status, resp_headers, _ = self._send(
            http_, "rsvp_answer", "POST", path, urlencode(fields).encode(), headers, due
        )
        with day.lock:
            if status == 303:
                day.failed_answers.discard(index)
                if index not in day.answered and invitee.answer == "accept":
                    day.ready_to_scan.append(index)
                day.answered[index] = invitee.answer
        if status != 303 and first:
            self._answer_later(index)
        if status == 303:
            _cookies(resp_headers, day.jars[index])
            self.rsvp_view(http_, index)  # the browser follows the redirect

    def _answer_later(self, index: int) -> None:
        """The page or the answer failed: the person tries again after the Retry-After."""
        with self.day.lock:
            self.day.failed_answers.add(index)
            self.day.retry_answers.append((time.monotonic() + RETRY_AFTER, index))

    def rsvp_qr(self, http_, due=None) -> None:
        with self.day.lock:
            accepted = [i for i, a in self.day.answered.items() if a == "accept"]
        if not accepted:
            return self.rsvp_view(http_, due=due)
        invitee = self.plan.invitees[self.rng.choice(accepted)]
        self._send(http_, "rsvp_qr", "GET", f"/rsvp/{invitee.token}/qr.png", None, None, due)

    def checkin(self, http_, due=None) -> None:
        day = self.day
        with day.lock:
            if day.retry_scans:
                index, gate, nonce, first = day.retry_scans.popleft()
            else:
                nonce, roll = uuid.uuid4().hex, self.rng.random()
                first = roll >= 0.30 and bool(day.ready_to_scan)
                if first:
                    index = day.ready_to_scan.pop(self.rng.randrange(len(day.ready_to_scan)))
                elif roll >= 0.05 and day.scanned:
                    index = self.rng.choice(day.scanned)
                else:
                    index = None
                gate = self.rng.choice(GATES)
        code = self.plan.invitees[index].code if index is not None else f"NOT-A-CODE-{nonce}"
        body = json.dumps({"code": code, "gate": gate, "nonce": nonce}).encode()
        headers = {
            "Authorization": f"Bearer {self.plan.staff_tokens[gate]}",
            "Content-Type": "application/json",
        }
        path = f"/api/v1/events/{self.plan.event_id}/checkins"
        status, _, data = self._send(http_, "checkin", "POST", path, body, headers, due)
        if status in (0, 503) or status >= 500:
            with day.lock:
                day.retry_scans.append((index, gate, nonce, first))
            return
        result = _result(data)
        expected = "invalid" if index is None else ("ok" if first else "already_checked_in")
        with day.lock:
            if result == "ok":
                day.ok_scans[index] += 1
                day.scanned.append(index)
            if result != expected:
                day.unexpected_scans.append(f"{expected} -> {status} {result}")

    def door_stats(self, http_, due=None) -> None:
        gate = self.rng.choice(GATES)
        headers = {"Authorization": f"Bearer {self.plan.staff_tokens[gate]}"}
        path = f"/api/v1/events/{self.plan.event_id}/checkins/stats"
        self._send(http_, "door_stats", "GET", path, None, headers, due)

    def _organiser_page(self, http_, kind, path, due) -> None:
        used = self.day.organiser_jar.get("session")
        headers = _cookie_header(self.day.organiser_jar)
        status, resp_headers, _ = self._send(http_, kind, "GET", path, None, headers, due)
        if status == 302 and "/login" in (resp_headers.get("Location") or ""):
            with self.login_lock:  # not logged in (a login failed in an outage): again, once
                if self.day.organiser_jar.get("session") == used:
                    self.day.organiser_jar.clear()
                    self.login(http_)

    def answers_page(self, http_, due=None) -> None:
        page = self.rng.randint(1, max(1, len(self.plan.invitees) // 100))
        path = f"/events/{self.plan.event_id}/answers?page={page}"
        self._organiser_page(http_, "answers_page", path, due)

    def reports_page(self, http_, due=None) -> None:
        self._organiser_page(http_, "reports_page", "/reports", due)

    def reports_api(self, http_, due=None) -> None:
        query = {"group_by": self.rng.choice(GROUP_BYS)}
        if self.rng.random() < 0.5:
            query["event_id"] = str(self.plan.event_id)
        headers = {"Authorization": f"Bearer {self.plan.coordinator_token}"}
        path = "/api/v1/reports/attendance?" + urlencode(query)
        self._send(http_, "reports_api", "GET", path, None, headers, due)


def _result(data: bytes) -> str:
    try:
        return json.loads(data).get("result", "?")
    except (ValueError, AttributeError):
        return "?"
