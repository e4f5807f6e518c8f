"""Benchmark of an invitation surge: 10,000 invitations sent while 3,000 invitees open their page
and 1,500 answer within ten minutes (open loop), on the production stack.

    .venv/bin/python -m bench.surge                  # 10,000 / 3,000 / 1,500 in ten minutes
    .venv/bin/python -m bench.surge --invitations 400 --opens 120 --answers 60 --minutes 1

The stack of bench.load (bench/stack.py: gunicorn, Dramatiq workers, the clock, Redis, the SMTP
sink, a scratch PostgreSQL database) with a forum in a month and `--invitations` contacts not
yet invited. One API call invites them all (202); the emails leave at MAIL_RATE_PER_SECOND
(`--send-rate`). `--opens` invitees, drawn at random, open their page at a time drawn
uniformly in the window (`--minutes`), but never before their email left (then as soon as it
has: a person cannot click a link not yet received); `--answers` of them answer right after
(the form as the page gave it, POST, the page it redirects to). Latency counts from when a
request was due, so a server falling behind shows. Goals: RSVP page p99 ≤ 200 ms, no email
later than a minute beyond its place at the send rate, zero errors, every confirmed answer
stored and one confirmation per accept. Exits 1 when a goal or check fails.
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import random
import re
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

from bench.eventday import seed_event_day
from bench.load import percentile
from bench.stack import Stack, StackOptions, machine

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Tokens:
    """The RSVP tokens of the invitations whose email has left, read from the database."""

    def __init__(self, stack: Stack, event_id: int) -> None:
        self.app = stack.app()
        self.event_id = event_id
        self.known: dict[int, str] = {}  # contact id -> token
        self.sent_at: dict[int, float] = {}

    def poll(self) -> None:
        from reslog_events.extensions import db
        from reslog_events.invitations.models import Invitation
        from reslog_events.invitations.operations import rsvp_token_of

        with self.app.app_context():
            rows = db.session.scalars(
                sa.select(Invitation).where(
                    Invitation.event_id == self.event_id,
                    Invitation.email_status != "queued",
                    Invitation.contact_id.not_in(self.known) if self.known else sa.true(),
                )
            ).all()
            now = time.monotonic()
            for invitation in rows:
                self.known[invitation.contact_id] = rsvp_token_of(invitation)
                self.sent_at[invitation.contact_id] = now


class Surge:
    def __init__(self, stack: Stack, tokens: Tokens, schedule, users: int) -> None:
        self.base = urlsplit(stack.base_url)
        self.tokens = tokens
        self.queue = list(schedule)  # (due, contact id, answer or None)
        heapq.heapify(self.queue)
        self.lock = threading.Lock()
        self.users = users
        self.latency: dict[str, list[float]] = {"rsvp_page": [], "answer": []}
        self.statuses: Counter = Counter()
        self.answered: dict[int, str] = {}
        self.errors: list[str] = []

    def take(self):
        """The next request due whose email has left (postponed until it has)."""
        while True:
            with self.lock:
                if not self.queue:
                    return None
                due, contact, answer = self.queue[0]
                now = time.monotonic()
                if due > now:
                    wait = due - now
                elif contact not in self.tokens.known:
                    heapq.heapreplace(self.queue, (now + 0.5, contact, answer))
                    wait = 0.05
                else:
                    heapq.heappop(self.queue)
                    return max(due, self.tokens.sent_at[contact]), contact, answer
            time.sleep(min(wait, 0.2))

    def user(self) -> None:
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=60)
        while (item := self.take()) is not None:
            due, contact, answer = item
            token = self.tokens.known[contact]
            cookies: dict[str, str] = {}
            try:
                status, page = self._request(conn, "GET", f"/rsvp/{token}", cookies)
                self.statuses[("rsvp_page", status)] += 1
                self.latency["rsvp_page"].append(time.monotonic() - due)
                if answer is None or status != 200:
                    continue
                started = time.monotonic()
                found = _CSRF.search(page.decode())
                form = [("response", answer), ("consent_data", "1")]
                form += [("csrf_token", found.group(1))] if found else []
                status, _page = self._request(conn, "POST", f"/rsvp/{token}", cookies, form)
                self.statuses[("answer", status)] += 1
                if status == 303:
                    self.answered[contact] = answer
                    status, _page = self._request(conn, "GET", f"/rsvp/{token}", cookies)
                self.latency["answer"].append(time.monotonic() - started)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(repr(exc))
                conn.close()

    def _request(self, conn, method, path, cookies, form=None):
        headers = {"Accept-Language": "tr"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            conn.close()
        return response.status, data

    def run(self) -> None:
        threads = [threading.Thread(target=self.user, daemon=True) for _ in range(self.users)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            self.tokens.poll()
            time.sleep(1.0)


def email_lateness(received: list[dict], started: float, rate: float) -> float:
    """Seconds by which the latest invitation email arrived after its place at the send rate
    (the k-th at `started + k / rate`)."""
    arrivals = sorted(line["at"] for line in received if line.get("kind") == "invitation")
    return max((at - started - k / rate for k, at in enumerate(arrivals, 1)), default=0.0)


def main() -> None:  # noqa: C901 - a script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invitations", type=int, default=10_000)
    parser.add_argument("--opens", type=int, default=3_000)
    parser.add_argument("--answers", type=int, default=1_500)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--send-rate", type=int, default=50, help="MAIL_RATE_PER_SECOND")
    parser.add_argument("--users", type=int, default=32, help="concurrent people at most")
    parser.add_argument(
        "--web-workers", type=int, default=None, help="default: the production settings'"
    )
    parser.add_argument("--web-threads", type=int, default=None)
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    rng = random.Random(17)
    options = StackOptions(
        redis_db=args.redis_db,
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        keep=args.keep,
        env={"MAIL_RATE_PER_SECOND": str(args.send_rate)},
    )
    with Stack(options) as stack:
        plan = seed_event_day(stack, invitees=10, past_events=2, spare_contacts=args.invitations)
        stack.start_processes()
        event_id = plan.other_event_id
        openers = rng.sample(plan.spare_contact_ids, args.opens)
        window = args.minutes * 60
        start = time.monotonic() + 1.0
        choices = ["accept"] * 70 + ["tentative"] * 15 + ["decline"] * 15
        schedule = [
            (
                start + rng.random() * window,
                contact,
                rng.choice(choices) if n < args.answers else None,
            )
            for n, contact in enumerate(openers)
        ]
        tokens = Tokens(stack, event_id)
        url = urlsplit(stack.base_url)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
        body = json.dumps({"contact_ids": plan.spare_contact_ids}).encode()
        sent_wall = time.time()
        conn.request(
            "POST",
            f"/api/v1/events/{event_id}/invitations",
            body,
            {
                "Authorization": f"Bearer {plan.organiser_token}",
                "Content-Type": "application/json",
            },
        )
        response = conn.getresponse()
        print(f"invited: {response.status} {response.read()[:200]!r}", flush=True)
        surge = Surge(stack, tokens, schedule, args.users)
        cpu_before = stack.cpu()
        surge.run()
        drained = stack.wait_for_outbox(900)
        cpu = {k: v - cpu_before[k] for k, v in stack.cpu().items()}
        received = stack.sink.received()
        late = email_lateness(received, sent_wall, args.send_rate)
        with stack.engine.connect() as db:
            stored = dict(
                db.execute(
                    sa.text(
                        "SELECT contact_id, status FROM invitations WHERE event_id = :e "
                        "AND status <> 'pending'"
                    ),
                    {"e": event_id},
                ).all()
            )
            accepted = [c for c, s in stored.items() if s == "accepted"]
        wanted = {"accept": "accepted", "tentative": "tentative", "decline": "declined"}
        lost = [
            c for c, a in surge.answered.items() if stored.get(c) not in (wanted[a], "waitlisted")
        ]
        confirmations = Counter(
            line["to"] for line in received if line.get("kind") == "confirmation"
        )
        page = surge.latency["rsvp_page"]
        p99 = percentile(page, 0.99) * 1000
        errors = sum(n for (kind, status), n in surge.statuses.items() if status >= 400)
        print(f"\nMachine: {machine()}\n")
        print("| measure | value | goal |\n|---|---:|---:|")
        emailed = sum(1 for r in received if r.get("kind") == "invitation")
        print(f"| invitations emailed | {emailed:,} | {args.invitations:,} |")
        print(f"| RSVP pages opened | {len(page):,} | {args.opens:,} |")
        print(
            f"| RSVP page p50 / p95 / p99 ms | {percentile(page, 0.5) * 1000:.0f} / "
            f"{percentile(page, 0.95) * 1000:.0f} / {p99:.0f} | p99 ≤ 200 |"
        )
        ans = surge.latency["answer"]
        print(f"| answers (303) | {len(surge.answered):,} | {args.answers:,} |")
        print(
            f"| answer p50 / p99 ms (POST + page) | {percentile(ans, 0.5) * 1000:.0f} / "
            f"{percentile(ans, 0.99) * 1000:.0f} | – |"
        )
        print(f"| latest email beyond the send rate, s | {late:.1f} | ≤ 60 |")
        print(f"| errors (4xx/5xx, broken connections) | {errors + len(surge.errors)} | 0 |")
        print(f"| answers lost | {len(lost)} | 0 |")
        unconfirmed = sum(1 for c in accepted if confirmations.get(_email(stack, c), 0) != 1)
        print(f"| accepted without exactly one confirmation | {unconfirmed} | 0 |")
        print(f"| outbox drained after the window, s | {drained:.0f} | – |")
        print(f"| CPU s: {', '.join(f'{k} {v:.0f}' for k, v in cpu.items())} | | |")
        failed = (
            p99 > 200
            or late > 60
            or errors
            or surge.errors
            or lost
            or len(surge.answered) < args.answers
        )
        sys.exit(1 if failed else 0)


def _email(stack: Stack, contact_id: int) -> str:
    with stack.engine.connect() as db:
        return db.scalar(sa.text("SELECT email FROM contacts WHERE id = :c"), {"c": contact_id})


if __name__ == "__main__":
    main()
