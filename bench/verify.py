"""What must hold after a load run or a drill, read from the database and the SMTP sink's log,
against what the load generator was told (its result JSON):

- nobody is checked in twice on a day, every check-in has its `ok` line in the scan log, and
  the check-ins are exactly the scans the generator was answered `ok` for (none lost, none
  invented);
- every answer the generator saw confirmed (303) is the invitation's status;
- every invitee who accepted has exactly one confirmation row in the outbox, sent, and the sink
  received exactly one confirmation for them;
- no outbox row failed or is still waiting.

Each check gives a count; `problems` lists what broke.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

STATUS_OF_ANSWER = {"accept": "accepted", "tentative": "tentative", "decline": "declined"}


@dataclass
class Checks:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def expect(self, name: str, value: int, wanted: int = 0) -> None:
        self.counts[name] = value
        if value != wanted:
            self.problems.append(f"{name}: {value} (expected {wanted})")

    @property
    def passed(self) -> bool:
        return not self.problems


def _scalar(conn, sql: str, **params) -> int:
    return int(conn.scalar(sa.text(sql), params) or 0)


def check_event_day(
    engine: sa.Engine,
    event_id: int,
    result: dict,
    received: list[dict],
    *,
    duplicates_allowed: int = 0,
) -> Checks:
    """`duplicates_allowed`: confirmations that may arrive twice (a drill that breaks the
    database or a worker opens the at-least-once window of docs/delivery.md)."""
    checks = Checks()
    with engine.connect() as conn:
        checks.expect(
            "double check-ins (same person, same day)",
            _scalar(
                conn,
                "SELECT count(*) FROM (SELECT invitation_id, day FROM checkins "
                "GROUP BY invitation_id, day HAVING count(*) > 1) d",
            ),
        )
        checked_in = set(
            conn.scalars(
                sa.text("SELECT invitation_id FROM checkins WHERE event_id = :e"), {"e": event_id}
            )
        )
        told_ok = {int(i) for i in result["ok_scans"]}
        checks.counts["check-ins"] = len(checked_in)
        checks.expect("check-ins answered ok but not stored", len(told_ok - checked_in))
        checks.expect("check-ins stored but never answered ok", len(checked_in - told_ok))
        checks.expect(
            "first scans answered ok more than once",
            sum(1 for n in result["ok_scans"].values() if n > 1),
        )
        checks.expect(
            "check-ins without their scan-log line",
            _scalar(
                conn,
                "SELECT count(*) FROM checkins c WHERE c.event_id = :e AND NOT EXISTS (SELECT 1 "
                "FROM scan_log s WHERE s.invitation_id = c.invitation_id AND s.result = 'ok')",
                e=event_id,
            ),
        )
        checks.expect("scans owed at the end (never answered)", result["owed_scans"])
        checks.expect("scans answered otherwise than expected", len(result["unexpected_scans"]))

        status = dict(
            conn.execute(
                sa.text("SELECT id, status FROM invitations WHERE event_id = :e"), {"e": event_id}
            ).all()
        )
        answered = {int(i): a for i, a in result["answered"].items()}
        checks.counts["answers confirmed (303)"] = len(answered)
        checks.expect(
            "confirmed answers not stored",
            sum(1 for i, a in answered.items() if status.get(i) != STATUS_OF_ANSWER[a]),
        )
        # An answer whose request failed (503, broken connection) is sent again after the
        # Retry-After until it is confirmed: none may be left over.
        checks.expect(
            "answers that failed and were never confirmed",
            len([i for i in result["failed_answers"] if i not in answered]),
        )
        accepted = {i for i, s in status.items() if s == "accepted"}
        checks.counts["accepted"] = len(accepted)

        rows = conn.execute(
            sa.text(
                "SELECT o.id, o.invitation_id, o.status FROM outgoing_emails o "
                "JOIN invitations i ON i.id = o.invitation_id "
                "WHERE o.kind = 'confirmation' AND i.event_id = :e"
            ),
            {"e": event_id},
        ).all()
        per_invitation = Counter(r.invitation_id for r in rows)
        checks.expect(
            "accepted invitees without exactly one confirmation row",
            sum(1 for i in accepted if per_invitation[i] != 1),
        )
        checks.expect(
            "confirmation rows of invitees not accepted",
            sum(n for i, n in per_invitation.items() if i not in accepted),
        )
        invitation_of = {str(r.id): r.invitation_id for r in rows}
        got = Counter(
            invitation_of[m["id"]]
            for m in received
            if m["kind"] == "confirmation" and m["id"] in invitation_of
        )
        checks.counts["confirmations received"] = sum(got.values())
        checks.expect("accepted invitees who got no confirmation", len(accepted - set(got)))
        duplicates = sum(n - 1 for n in got.values() if n > 1)
        checks.counts["confirmations received twice (duplicates)"] = duplicates
        if duplicates > duplicates_allowed:
            checks.problems.append(
                f"confirmations received twice: {duplicates} (at most {duplicates_allowed})"
            )

        outbox = dict(
            conn.execute(sa.text("SELECT status, count(*) FROM outgoing_emails GROUP BY 1")).all()
        )
        checks.counts.update({f"outbox {k}": v for k, v in sorted(outbox.items())})
        checks.expect("outbox rows failed", outbox.get("failed", 0))
        checks.expect(
            "outbox rows still queued or sending",
            outbox.get("queued", 0) + outbox.get("sending", 0),
        )
    return checks


def check_fan_out(engine: sa.Engine, event_id: int, received: list[dict]) -> Checks:
    """After an invitation fan-out: every invitation row reached the sink; duplicates counted."""
    checks = Checks()
    with engine.connect() as conn:
        rows = dict(
            conn.execute(
                sa.text(
                    "SELECT o.id, o.status FROM outgoing_emails o JOIN invitations i "
                    "ON i.id = o.invitation_id WHERE o.kind = 'invitation' AND i.event_id = :e"
                ),
                {"e": event_id},
            ).all()
        )
        got = Counter(m["id"] for m in received if m["id"] in {str(i) for i in rows})
        checks.counts["invitation emails queued"] = len(rows)
        checks.expect("invitation emails lost (never received)", len(rows) - len(got))
        checks.counts["duplicates (received more than once)"] = sum(
            n - 1 for n in got.values() if n > 1
        )
        checks.counts["rows received more than once"] = sum(1 for n in got.values() if n > 1)
        checks.expect("rows not marked sent", sum(1 for s in rows.values() if s != "sent"))
        checks.expect(
            "invitations whose email_status is not sent",
            _scalar(
                conn,
                "SELECT count(*) FROM invitations WHERE event_id = :e AND email_status <> 'sent'",
                e=event_id,
            ),
        )
    return checks
