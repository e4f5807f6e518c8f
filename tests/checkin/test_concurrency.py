"""Several gates at once, on PostgreSQL: the database admits each person exactly once."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections import Counter
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from reslog_events.auth.operations import create_token
from reslog_events.checkin.models import CheckIn, ScanLog
from reslog_events.extensions import db

pytestmark = pytest.mark.postgres_only


class Gate(threading.Thread):
    """One phone at one gate: its own HTTP connection, posting codes as fast as it can."""

    def __init__(self, url: str, token: str, event_id: int, name: str, bodies, barrier) -> None:
        super().__init__(name=f"gate-{name}")
        self.base = urlsplit(url)
        self.token = token
        self.path = f"/api/v1/events/{event_id}/checkins"
        self.gate = name
        self.bodies = bodies
        self.barrier = barrier
        self.answers: list[tuple[int, dict]] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        try:
            self.barrier.wait()
            for body in self.bodies:
                conn.request("POST", self.path, json.dumps({**body, "gate": self.gate}), headers)
                resp = conn.getresponse()
                self.answers.append((resp.status, json.loads(resp.read())))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            conn.close()


def run_gates(live_server, token, event_id, bodies_per_gate) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(bodies_per_gate))
    gates = [
        Gate(live_server.url, token, event_id, name, bodies, barrier)
        for name, bodies in bodies_per_gate.items()
    ]
    for gate in gates:
        gate.start()
    for gate in gates:
        gate.join(120)
    for gate in gates:
        assert gate.error is None, gate.error
    return [answer for gate in gates for answer in gate.answers]


@pytest.fixture
def staff_token(create_user):
    token = create_token(create_user("staff"))
    db.session.commit()
    return token


def test_four_gates_same_hundred_codes(live_server, staff_token, create_event, invitee):
    event = create_event()
    codes = [invitee(event).checkin_code for _ in range(100)]
    bodies = {
        gate: [
            {"code": code, "gate": gate, "nonce": f"{gate}-{uuid.uuid4().hex}"} for code in codes
        ]
        for gate in ("A", "B", "C", "D")
    }
    answers = run_gates(live_server, staff_token, event.id, bodies)

    assert len(answers) == 400
    results = Counter((status, body["result"]) for status, body in answers)
    assert results == {(201, "ok"): 100, (409, "already_checked_in"): 300}
    ok_invitations = {body["invitation_id"] for status, body in answers if status == 201}
    assert len(ok_invitations) == 100
    db.session.expire_all()
    per_invitation = db.session.execute(
        sa.select(CheckIn.invitation_id, sa.func.count()).group_by(CheckIn.invitation_id)
    ).all()
    assert len(per_invitation) == 100 and {n for _, n in per_invitation} == {1}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanLog)) == 400
    # every "already" names the check-in that won
    winners = {
        body["invitation_id"]: body["checkin_id"] for status, body in answers if status == 201
    }
    for status, body in answers:
        if status == 409:
            assert body["checkin_id"] == winners[body["invitation_id"]]


def test_same_nonce_from_four_threads_acts_once(live_server, staff_token, create_event, invitee):
    """A phone retrying while its first request is still in flight: one check-in, one log
    entry, and every copy hears the same answer."""
    event = create_event()
    guests = [invitee(event) for _ in range(20)]
    shared = [
        {"code": g.checkin_code, "gate": "A", "nonce": f"same-{i:04d}-nonce"}
        for i, g in enumerate(guests)
    ]
    answers = run_gates(
        live_server, staff_token, event.id, {"A": shared, "B": shared, "C": shared, "D": shared}
    )
    by_nonce: dict[str, set[str]] = {}
    for status, body in answers:
        assert status == 201 and body["result"] == "ok", body
        by_nonce.setdefault(body["invitation_id"], set()).add(json.dumps(body, sort_keys=True))
    assert all(len(bodies) == 1 for bodies in by_nonce.values())
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 20
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanLog)) == 20
