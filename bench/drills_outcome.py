"""What a drill of bench.drills finds, and how it is told: the Outcome (its lines, checks and
failures), the web requests answered otherwise than expected around the fault, the checks of
the database and the sink, the delivery attempts per email, and writes left half done.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from bench.eventday import Plan
from bench.stack import Stack
from bench.traffic import EXPECTED
from bench.verify import Checks


@dataclass
class Outcome:
    name: str
    lines: list[str] = field(default_factory=list)
    checks: list[Checks] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        print(f"  {line}", flush=True)
        self.lines.append(line)

    @property
    def passed(self) -> bool:
        return not self.failures and all(c.passed for c in self.checks)


def during(result: dict, start: float, end: float) -> Counter:
    """Statuses of the requests sent between two epochs, by (kind, status, note)."""
    origin = result["started_epoch"]
    return Counter((r[1], r[2], r[4]) for r in result["records"] if start <= origin + r[0] <= end)


def failures_of(result: dict) -> list[list]:
    """Requests answered otherwise than expected (503 included)."""
    return [r for r in result["records"] if r[2] not in EXPECTED.get(r[1], {200})]


def describe_failures(outcome: Outcome, result: dict, fault_epoch: float) -> None:
    bad = failures_of(result)
    origin = result["started_epoch"]
    if not bad:
        outcome.say("web requests: every one answered as expected, before, during and after")
        return
    shown = Counter((r[2], r[4] or "-") for r in bad)
    outcome.say(
        "web requests answered otherwise than expected: "
        + ", ".join(f"{status} ({note}) ×{n}" for (status, note), n in sorted(shown.items()))
    )
    first = min(origin + r[0] for r in bad) - fault_epoch
    last = max(origin + r[5] for r in bad) - fault_epoch
    outcome.say(f"failed requests from {first:+.1f} s to {last:+.1f} s after the fault began")
    for status, note in shown:
        if status >= 500 and status != 503:
            outcome.failures.append(f"{status} answers during the fault")
        if status == 0:
            outcome.failures.append(f"broken connections ({note}) during the fault")
        if status == 503 and note != "retry-after":
            outcome.failures.append("503 without Retry-After")


def record_checks(outcome: Outcome, checks: Checks) -> None:
    outcome.checks.append(checks)
    for name, value in checks.counts.items():
        outcome.say(f"{name}: {value}")
    for problem in checks.problems:
        outcome.say(f"**PROBLEM** {problem}")


def attempts_histogram(stack: Stack, event_id: int) -> dict[int, int]:
    with stack.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT o.attempts, count(*) FROM outgoing_emails o JOIN invitations i "
                "ON i.id = o.invitation_id WHERE i.event_id = :e GROUP BY 1 ORDER BY 1"
            ),
            {"e": event_id},
        ).all()
    return dict(rows)


def half_written(outcome: Outcome, stack: Stack, plan: Plan) -> None:
    """Writes that belong together are all there or all absent."""
    checks = Checks()
    with stack.engine.connect() as conn:

        def count(sql: str) -> int:
            return int(conn.scalar(sa.text(sql), {"e": plan.event_id}) or 0)

        checks.expect(
            "answered invitations without their audit entry",
            count(
                "SELECT count(*) FROM invitations i WHERE i.event_id = :e AND i.status <> "
                "'pending' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = "
                "'invitation.answer' AND a.object_type = 'invitation' AND a.object_id = i.id)"
            ),
        )
        checks.expect(
            "attendance facts out of step with check-ins",
            count(
                "SELECT count(*) FROM invitations i JOIN attendance_facts f ON "
                "f.invitation_id = i.id WHERE i.event_id = :e AND (f.status <> i.status OR "
                "f.days <> (SELECT count(*) FROM checkins c WHERE c.invitation_id = i.id))"
            ),
        )
    record_checks(outcome, checks)
