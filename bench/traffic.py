"""The load generator: the mixed traffic of an event day against a running server, from its own
process, on loopback only, bounded in time.

    .venv/bin/python -m bench.traffic --plan plan.json --out result.json --seconds 60

What it sends (weights per 100 requests; `--users` threads, each with one keep-alive
connection; `--rate 0` closed loop: as fast as answered, else an open loop at that many
requests per second, latency counted from when a request was due):

| kind | weight | request | expected |
|---|---:|---|---|
| rsvp_view | 30 | GET /rsvp/<token> (invitee's page; its session cookie kept per invitee) | 200 |
| rsvp_answer | 12 | POST /rsvp/<token> with the page's CSRF token; then the 303 is followed | 303 |
| rsvp_qr | 5 | GET /rsvp/<token>/qr.png of someone who accepted | 200 |
| checkin | 35 | POST /api/v1/events/<id>/checkins from gates A–D (staff tokens) | 201/409/404 |
| door_stats | 5 | GET /api/v1/events/<id>/checkins/stats (the scanner's counters) | 200 |
| answers_page | 5 | GET /events/<id>/answers?page=n (organiser's session) | 200 |
| reports_page | 3 | GET /reports (organiser's session) | 200 |
| reports_api | 5 | GET /api/v1/reports/attendance?group_by=… (coordinator's token) | 200 |

Invitees answer once each (their planned answer), then re-submit the same answer now and then
(no second confirmation email). Scans: first scans of people who accepted (201 `ok`), second
scans at another gate (409 `already_checked_in`) and unknown codes (404 `invalid`). A request
that fails with 503 or a broken connection is retried later as a phone or a person would: the
same scan with the same nonce, the same answer again.
"""

from __future__ import annotations

import argparse
import collections
import gc
import http.client
import json
import random
import re
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.eventday import GATES, PASSWORD, Plan

WEIGHTS = {
    "rsvp_view": 30,
    "rsvp_answer": 12,
    "rsvp_qr": 5,
    "checkin": 35,
    "door_stats": 5,
    "answers_page": 5,
    "reports_page": 3,
    "reports_api": 5,
}
#: statuses that are a right answer, per kind (503 is counted apart: "unavailable")
EXPECTED = {
    "rsvp_view": {200},
    "rsvp_answer": {303},
    "rsvp_qr": {200},
    "checkin": {201, 404, 409},
    "door_stats": {200},
    "answers_page": {200},
    "reports_page": {200},
    "reports_api": {200},
    "login_form": {200},
    "login": {302},
    "invite": {202},
}
#: numbers each request, so that the server's access log (its own time) can be matched to it
SEQ_HEADER = "X-Bench-Seq"
GROUP_BYS = ("organisation", "province", "event", "month", "gender", "role_category")
#: seconds a person waits before trying again after a 503 (the app's Retry-After)
RETRY_AFTER = 5
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Http:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
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


class Generator:
    def __init__(self, plan: Plan, *, users: int, seconds: float, rate: float, seed: int) -> None:
        self.plan = plan
        self.users = users
        self.seconds = seconds
        self.rate = rate
        self.rng = random.Random(seed)
        self.day = EventDay(plan, self.rng)
        split = urlsplit(plan.base_url)
        self.host, self.port = split.hostname, split.port
        assert self.host == "127.0.0.1", "loopback only"
        #: [sent at, kind, status (0: no answer), ms, note, answered at (seconds since start),
        #:  ms between when it was due and when it was sent, the request's SEQ_HEADER]
        self.records: list[list] = []
        self.records_lock = threading.Lock()
        self.sequence = 0
        self.started = 0.0
        self.started_epoch = 0.0
        self.kinds = list(WEIGHTS)
        self.weights = [WEIGHTS[k] for k in self.kinds]
        self.backlog_skipped = 0
        self.connections = 0
        self.unsent = 0
        self.login_lock = threading.Lock()

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

    # -- running ------------------------------------------------------------------------------
    def pick(self) -> str:
        return self.rng.choices(self.kinds, self.weights)[0]

    def run(self) -> None:
        self.started = time.perf_counter()
        self.started_epoch = time.time()
        deadline = self.started + self.seconds
        jobs: collections.deque = collections.deque()
        ready = threading.Condition()
        done = threading.Event()
        self.login(Http(self.host, self.port))

        idle = 0  # open loop: users waiting for a request to send (under `ready`)

        def user() -> None:
            nonlocal idle
            http_ = Http(self.host, self.port)
            while not done.is_set() and time.perf_counter() < deadline:
                due = None
                if self.rate:
                    with ready:
                        idle += 1
                        while not jobs and not done.is_set() and time.perf_counter() < deadline:
                            ready.wait(1.0)  # woken by the dispatcher, one per request
                        idle -= 1
                        if not jobs:
                            continue
                        kind, due = jobs.popleft()
                else:
                    kind = self.pick()
                getattr(self, kind)(http_, due=due)

        def dispatch() -> None:
            # An open loop: each request is sent when it is due, on a connection of its own if
            # every other one is waiting for an answer (up to --users connections), as people
            # arriving independently would; latency counts from when it was due.
            n = 0
            while (due := self.started + n / self.rate) < deadline:
                if (delay := due - time.perf_counter()) > 0:
                    time.sleep(delay)
                with ready:
                    if len(jobs) > self.users * 20:  # far behind: do not queue without bound
                        self.backlog_skipped += 1
                    else:
                        jobs.append((self.pick(), due))
                        ready.notify()
                    if idle < len(jobs) and len(threads) < self.users + 1:
                        thread = threading.Thread(target=user, daemon=True)
                        thread.start()
                        threads.append(thread)
                n += 1

        # closed loop: every user at once; open loop: users as the requests need them
        threads = [threading.Thread(target=user, daemon=True) for _ in range(self.users)]
        if self.rate:
            threads = [threading.Thread(target=dispatch, daemon=True)]
        reporter = threading.Thread(target=self._progress, args=(done,), daemon=True)
        reporter.start()
        for thread in list(threads):
            thread.start()
        for thread in list(threads):  # the dispatcher (open loop) first: no user added after it
            thread.join(self.seconds + 120)
        for thread in list(threads):
            thread.join(max(0.1, deadline + 120 - time.perf_counter()))
        done.set()
        self.unsent = len(jobs)  # fell due, never sent: the run ended first
        self.connections = len(threads) - (1 if self.rate else 0)
        self.settle()

    def settle(self, seconds: float = 60) -> None:
        """Send the scans and first answers still owed (failed during an outage) until they
        get an answer."""
        http_ = Http(self.host, self.port)
        day = self.day
        deadline = time.perf_counter() + seconds
        while (day.retry_scans or day.retry_answers) and time.perf_counter() < deadline:
            before = len(day.retry_scans) + len(day.retry_answers)
            for _ in range(len(day.retry_scans)):
                self.checkin(http_)
            while day.retry_answers and day.retry_answers[0][0] <= time.monotonic():
                self.rsvp_answer(http_)
            if len(day.retry_scans) + len(day.retry_answers) >= before:
                time.sleep(1)

    def _progress(self, done: threading.Event) -> None:
        last = 0
        while not done.wait(10):
            with self.records_lock:
                records = self.records[last:]
                last = len(self.records)
            bad = sum(1 for r in records if r[2] not in EXPECTED.get(r[1], ()))
            unavailable = sum(1 for r in records if r[2] == 503)
            print(
                f"  t={time.perf_counter() - self.started:5.0f}s {len(records) / 10:6.1f} req/s "
                f"unexpected={bad} (503: {unavailable})",
                flush=True,
            )

    def result(self) -> dict:
        day = self.day
        by_id = {i: self.plan.invitees[i].invitation_id for i in range(len(self.plan.invitees))}
        return {
            "started_epoch": self.started_epoch,
            "seconds": self.seconds,
            "users": self.users,
            "rate": self.rate,
            "records": self.records,
            "answered": {by_id[i]: a for i, a in day.answered.items()},
            "failed_answers": [by_id[i] for i in day.failed_answers],
            "ok_scans": {by_id[i]: n for i, n in day.ok_scans.items()},
            "owed_scans": len(day.retry_scans),
            "unexpected_scans": day.unexpected_scans,
            "backlog_skipped": self.backlog_skipped,
            "connections": self.connections,
            "unsent": self.unsent,
            "cpu_seconds": time.process_time(),
        }


def _result(data: bytes) -> str:
    try:
        return json.loads(data).get("result", "?")
    except (ValueError, AttributeError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--rate", type=float, default=0, help="requests/s; 0: closed loop")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 0 < args.seconds <= 3600:
        sys.exit("--seconds: between 0 and 3600")
    plan = Plan.from_json(json.loads(Path(args.plan).read_text()))
    generator = Generator(
        plan, users=args.users, seconds=args.seconds, rate=args.rate, seed=args.seed
    )
    # the plan's objects out of the collector's sight: a full collection in the generator would
    # hold every virtual user (its lag shows as "waiting to be sent")
    gc.collect()
    gc.freeze()
    generator.run()
    Path(args.out).write_text(json.dumps(generator.result()))


if __name__ == "__main__":
    main()
