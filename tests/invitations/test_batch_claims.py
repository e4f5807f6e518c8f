"""A batch is claimed in one statement under one lease, renewed while the batch runs; each outcome
is recorded with its invitation's email_status at once (one statement on PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.models import EmailStatus
from reslog_events.mail import claims, delivery
from reslog_events.mail.backends.smtp import SmtpBackend
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.mail.outbox import queue_email


def _queued(create_invitation, n=1, kind="invitation"):
    rows = [queue_email(kind, invitation=create_invitation().invitation) for _ in range(n)]
    db.session.commit()
    return rows


def _row(row_id) -> OutgoingEmail:
    db.session.expire_all()
    return db.session.get(OutgoingEmail, row_id)


class _Clock:
    """delivery's monotonic clock, moved on by the sends (no sleeping, no dependence on how
    busy the machine is)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def _slow_sends(monkeypatch, seconds: float, before=None) -> None:
    """Every SMTP send takes `seconds` on delivery's clock; `before(message)` runs first."""
    clock = _Clock()
    monkeypatch.setattr(delivery, "time", clock)
    send = SmtpBackend.send

    def slow(self, message):
        if before is not None:
            before(message)
        clock.now += seconds
        return send(self, message)

    monkeypatch.setattr(SmtpBackend, "send", slow)


def test_a_batch_is_claimed_in_one_statement(app, smtp, create_invitation):
    rows = _queued(create_invitation, 5)
    claim_statements = []

    def count(conn, cursor, statement, params, context, executemany):
        returning = statement.partition("RETURNING")[2]
        if statement.startswith("UPDATE outgoing_emails") and "attempts" in returning:
            claim_statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = delivery.deliver([r.id for r in rows])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert report.sent == [r.id for r in rows]
    assert len(claim_statements) == 1
    for r in rows:
        row = _row(r.id)
        assert (row.status, row.attempts, row.lease_until) == (OutboxStatus.sent, 1, None)
        assert row.invitation.email_status == EmailStatus.sent
    assert len(smtp.inbox.messages) == 5


def test_the_lease_is_renewed_while_a_batch_runs(app, smtp, create_invitation, monkeypatch):
    app.config["OUTBOX_LEASE_SECONDS"] = 60
    rows = _queued(create_invitation, 4)
    leases = []  # the lease the worker holds, after the claim and after each renewal
    claim_batch, renew = claims.claim_batch, claims.renew

    def claimed(*args):
        won, lease = claim_batch(*args)
        leases.append(lease)
        return won, lease

    def renewed(*args):
        held, lease = renew(*args)
        leases.append(lease)
        return held, lease

    monkeypatch.setattr(claims, "claim_batch", claimed)
    monkeypatch.setattr(claims, "renew", renewed)
    seen = []

    def lease_in_the_database(message):
        row = db.session.get(OutgoingEmail, message.outgoing_id)
        db.session.refresh(row)
        seen.append((row.lease_until, leases[-1]))

    # 20 s per message: the sends start at 0, 20, 40 and 60 s; half the lease is 30 s
    _slow_sends(monkeypatch, 20, lease_in_the_database)
    report = delivery.deliver([r.id for r in rows])
    assert report.sent == [r.id for r in rows]
    assert len(leases) == 2  # the claim, one renewal (before the third message)
    assert leases[1] > leases[0]
    # every message left under the lease the worker held, as written in the database
    assert [abs(db_lease - held) < timedelta(milliseconds=1) for db_lease, held in seen] == [
        True
    ] * 4
    assert [held for _, held in seen] == [leases[0]] * 2 + [leases[1]] * 2


def test_a_row_taken_over_meanwhile_is_left_to_its_new_owner(
    app, smtp, create_invitation, monkeypatch
):
    app.config["OUTBOX_LEASE_SECONDS"] = 60
    rows = _queued(create_invitation, 3)
    last = rows[-1].id
    others_lease = utcnow() + timedelta(minutes=10)

    def take_over(message):
        # another worker takes the last row (as after an expired lease): its own lease
        if message.outgoing_id == rows[0].id:
            with db.engine.begin() as conn:
                conn.execute(
                    sa.update(OutgoingEmail).where(OutgoingEmail.id == last),
                    {"lease_until": others_lease},
                )

    _slow_sends(monkeypatch, 20, take_over)  # renewal due before the third message
    report = delivery.deliver([r.id for r in rows])
    assert report.sent == [rows[0].id, rows[1].id]
    assert report.not_claimed == [last]
    row = _row(last)
    assert row.status == OutboxStatus.sending
    assert abs(row.lease_until - others_lease) < timedelta(milliseconds=1)
    assert len(smtp.inbox.messages) == 2


def test_email_status_follows_the_latest_message(app, smtp, create_invitation):
    (first,) = _queued(create_invitation)
    invitation = first.invitation
    update = queue_email("update", invitation=invitation)
    db.session.commit()
    # the earlier message is sent while the later one still waits: queued (the later one)
    assert delivery.deliver([first.id]).sent == [first.id]
    assert _row(first.id).invitation.email_status == EmailStatus.queued
    assert delivery.deliver([update.id]).sent == [update.id]
    assert _row(first.id).invitation.email_status == EmailStatus.sent
    # a permanent refusal of the latest message: failed
    reminder = queue_email("reminder", invitation=_row(first.id).invitation)
    db.session.commit()
    smtp.inbox.reject_with = "550 5.1.1 No such user"
    try:
        assert delivery.deliver([reminder.id]).failed == [reminder.id]
    finally:
        smtp.inbox.reject_with = None
    assert _row(first.id).invitation.email_status == EmailStatus.failed
