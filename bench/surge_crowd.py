"""The invitees of bench.surge: people who open their RSVP page once their invitation has
reached them, and some of whom answer a little later (open loop, latency from the due time).

    crowd = Crowd(base_url, people, users=64)
    Deliveries(sink_log, crowd.delivered).start()   # when each invitation reached its person
    crowd.run(deadline)

Each person has a time drawn for opening the page; the visit is due then, or a second
(`REACTION`) after the sink accepted their invitation if that is later (nobody clicks a link
not yet received; the second keeps the tail of the sink's log, read every 50 ms, out of the
latency). An answer is due `think` seconds after the page came back (the form as the page gave
it: CSRF token and session cookie, POST, the page it redirects to). A visit's latency counts
from when it was due, so a server (or a generator) falling behind shows; `lag` is how late the
generator started it.
"""

from __future__ import annotations

import heapq
import http.client
import itertools
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.pages_client import keep_cookies

#: seconds after which a person's browser opens a new connection rather than reuse its last
#: (gunicorn closes idle keep-alive connections; a request on one closing is a client artefact)
IDLE = 10.0
#: the least time between an invitation reaching the mail server and its link being opened
REACTION = 1.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Person:
    address: str
    token: str
    open_due: float  # unix time drawn for opening the page
    answer: str | None  # accept / tentative / decline, or None: only looks
    think: float  # seconds between the page and the answer
    delivered_at: float | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str | None = None


@dataclass(order=True)
class Visit:
    due: float
    seq: int
    kind: str = field(compare=False)  # "open" | "answer"
    person: Person = field(compare=False)


@dataclass
class Sample:
    kind: str  # rsvp_page | answer
    due: float
    started: float
    done: float
    status: int


class Crowd:
    def __init__(self, base_url: str, people: list[Person], users: int) -> None:
        self.url = urlsplit(base_url)
        self.waiting = {p.address: p for p in people}  # invitation not yet received
        self.visits: list[Visit] = []
        self.seq = itertools.count()
        self.cond = threading.Condition()
        self.outstanding = len(people) + sum(1 for p in people if p.answer)
        self.users = users
        self.samples: list[Sample] = []
        self.statuses: Counter = Counter()
        self.errors: list[str] = []
        self.answered: dict[str, str] = {}  # address -> answer confirmed by a 303
        self.stop = False

    # -- scheduling ---------------------------------------------------------------------------
    def delivered(self, address: str, at: float) -> None:
        with self.cond:
            person = self.waiting.pop(address, None)
            if person is None:
                return
            person.delivered_at = at
            self._push(max(person.open_due, at + REACTION), "open", person)

    def _push(self, due: float, kind: str, person: Person) -> None:
        heapq.heappush(self.visits, Visit(due, next(self.seq), kind, person))
        self.cond.notify()

    def _take(self) -> Visit | None:
        with self.cond:
            while True:
                if self.stop or self.outstanding <= 0:
                    self.cond.notify_all()
                    return None
                if self.visits and self.visits[0].due <= time.time():
                    return heapq.heappop(self.visits)
                wait = self.visits[0].due - time.time() if self.visits else 0.5
                self.cond.wait(min(max(wait, 0.001), 0.5))

    def _done(self, visit: Visit) -> None:
        with self.cond:
            self.outstanding -= 1
            if visit.kind == "open" and visit.person.answer and visit.person.csrf is None:
                self.outstanding -= 1  # the page failed: no answer will follow
            self.cond.notify_all()

    # -- the people ---------------------------------------------------------------------------
    def _user(self) -> None:
        conn, used = self._connect(), time.time()
        while (visit := self._take()) is not None:
            person = visit.person
            started = time.time()
            if started - used > IDLE:  # as a browser does: a fresh connection after a pause
                conn.close()
                conn = self._connect()
            used = started
            try:
                if visit.kind == "open":
                    status, page = self._request(conn, "GET", f"/rsvp/{person.token}", person)
                    self._record("rsvp_page", visit, started, status)
                    found = _CSRF.search(page.decode(errors="replace"))
                    if status == 200 and person.answer and found:
                        person.csrf = found.group(1)
                        with self.cond:
                            self._push(time.time() + person.think, "answer", person)
                else:
                    form = [("response", person.answer), ("consent_data", "1")]
                    form.append(("csrf_token", person.csrf))
                    path = f"/rsvp/{person.token}"
                    status, _page = self._request(conn, "POST", path, person, form)
                    if status == 303:
                        self.answered[person.address] = person.answer
                        status, _page = self._request(conn, "GET", path, person)
                        status = 303 if status == 200 else status
                    self._record("answer", visit, started, status)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{visit.kind}: {exc!r}")
                conn.close()
                conn = self._connect()
            finally:
                self._done(visit)
        conn.close()

    def _record(self, kind: str, visit: Visit, started: float, status: int) -> None:
        self.samples.append(Sample(kind, visit.due, started, time.time(), status))
        self.statuses[(kind, status)] += 1

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)

    def _request(self, conn, method, path, person: Person, form=None):
        headers = {"Accept-Language": "tr"}
        if person.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in person.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        data = response.read()
        keep_cookies(response, person.cookies)
        if response.will_close:
            conn.close()
        return response.status, data

    def run(self, deadline: float) -> None:
        """Until every visit is made, or `deadline` (unix time) has passed."""
        threads = [threading.Thread(target=self._user, daemon=True) for _ in range(self.users)]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            if time.time() > deadline:
                with self.cond:
                    self.stop = True
                    self.cond.notify_all()
            time.sleep(0.5)


class Deliveries(threading.Thread):
    """Tails the sink's log (bench.sink: one JSON line per accepted message) and tells
    `on_invitation(address, at)` when each invitation email arrived (the first time)."""

    def __init__(self, log: Path, on_invitation) -> None:
        super().__init__(daemon=True)
        self.log = log
        self.on_invitation = on_invitation
        self.seen: set[str] = set()
        self.halt = threading.Event()

    def run(self) -> None:
        offset, rest = 0, b""
        while not self.halt.is_set():
            with open(self.log, "rb") as f:
                f.seek(offset)
                chunk = f.read()
            offset += len(chunk)
            *lines, rest = (rest + chunk).split(b"\n")
            for line in lines:
                if not line.strip():
                    continue
                entry = json.loads(line)
                if entry.get("kind") == "invitation" and entry["to"] not in self.seen:
                    self.seen.add(entry["to"])
                    self.on_invitation(entry["to"], entry["at"])
            self.halt.wait(0.05)
