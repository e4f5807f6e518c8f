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
import json
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.eventday import Plan
from bench.traffic_people import EventDay, Http, People

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


class Generator(People):
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
