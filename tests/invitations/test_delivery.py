"""Delivery through a real SMTP server (aiosmtpd on loopback): connection reuse, transient and
permanent refusals, idempotent claims, leases, the sweep, the shared rate limit."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.models import EmailStatus
from reslog_events.mail import claims, delivery, sweep
from reslog_events.mail.backends import close_backends, get_backend
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.mail.outbox import queue_email


@pytest.fixture
def smtp(app, smtp):
    app.config.update(OUTBOX_RETRY_BASE_SECONDS=0.01, OUTBOX_MAX_ATTEMPTS=3)
    return smtp


def _queued(create_invitation, n=1, kind="invitation", **kw):
    rows = []
    for _ in range(n):
        inv = create_invitation(**kw).invitation
        rows.append(queue_email(kind, invitation=inv))
    db.session.commit()
    return rows


def _row(row_id) -> OutgoingEmail:
    db.session.expire_all()
    return db.session.get(OutgoingEmail, row_id)


def test_smtp_delivery_reuses_one_connection(app, smtp, create_invitation):
    rows = _queued(create_invitation, 4)
    report = delivery.deliver([r.id for r in rows])
    assert report.sent == [r.id for r in rows]
    assert len(smtp.inbox.messages) == 4
    assert {m["X-RESLOG-Outbox-Id"] for m in smtp.inbox.messages} == {str(r.id) for r in rows}
    backend = get_backend(app)
    assert len(backend._all) == 1  # one connection for this thread, reused for all four
    assert all(_row(r.id).status == OutboxStatus.sent for r in rows)
    assert _row(rows[0].id).provider_message_id.startswith("<reslog.")
    # the envelope is the contact's address
    assert smtp.inbox.envelopes[0].rcpt_tos == [rows[0].to_address]


def test_a_row_is_sent_once_however_often_it_is_delivered(app, smtp, create_invitation):
    (row,) = _queued(create_invitation)
    assert delivery.deliver([row.id]).sent == [row.id]
    again = delivery.deliver([row.id, row.id])
    assert again.sent == [] and again.not_claimed == [row.id]
    assert len(smtp.inbox.messages) == 1


def test_transient_refusal_is_retried_then_given_up(app, smtp, create_invitation):
    (row,) = _queued(create_invitation)
    smtp.inbox.reject_with = "451 4.3.0 Mailbox busy, try later"
    report = delivery.deliver([row.id])
    assert list(report.retried) == [row.id]
    r = _row(row.id)
    assert r.status == OutboxStatus.queued and r.attempts == 1 and "451" in r.last_error
    assert r.next_attempt_at > utcnow() - timedelta(seconds=1)
    # not due yet: a duplicate message does nothing
    r.next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert delivery.deliver([row.id]).not_claimed == [row.id]
    # due again, and the server has recovered
    smtp.inbox.reject_with = None
    _row(row.id).next_attempt_at = utcnow()
    db.session.commit()
    assert delivery.deliver([row.id]).sent == [row.id]
    assert _row(row.id).attempts == 2 and _row(row.id).last_error is None

    (other,) = _queued(create_invitation)
    smtp.inbox.reject_with = "451 4.3.0 Mailbox busy, try later"
    for _ in range(3):
        _row(other.id).next_attempt_at = utcnow()
        db.session.commit()
        delivery.deliver([other.id])
    failed = _row(other.id)
    assert failed.status == OutboxStatus.failed
    assert failed.last_error.startswith("Gave up after 3 attempts") and "451" in failed.last_error
    assert failed.invitation.email_status == EmailStatus.failed


def test_permanent_refusal_fails_with_a_readable_reason(app, smtp, create_invitation):
    (row,) = _queued(create_invitation)
    smtp.inbox.reject_with = "550 5.1.1 No such user here"
    report = delivery.deliver([row.id])
    assert report.failed == [row.id]
    r = _row(row.id)
    assert (
        r.status == OutboxStatus.failed and "550" in r.last_error and "No such user" in r.last_error
    )
    assert r.invitation.email_status == EmailStatus.failed
    assert r.attempts == 1


def test_unreachable_server_is_transient(app, create_invitation):
    from tests.support.smtp import _free_port

    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port())
    (row,) = _queued(create_invitation)
    report = delivery.deliver([row.id])
    assert list(report.retried) == [row.id]
    assert "SMTP connection failed" in _row(row.id).last_error
    close_backends(app)


def test_expired_lease_is_taken_over(app, create_invitation, stub_worker):
    rows = _queued(create_invitation, 2)
    now = utcnow()
    # row 0: a worker died holding it; row 1: a worker is busy with it right now
    dead, busy = _row(rows[0].id), db.session.get(OutgoingEmail, rows[1].id)
    dead.status, dead.lease_until = OutboxStatus.sending, now - timedelta(seconds=1)
    busy.status, busy.lease_until = OutboxStatus.sending, now + timedelta(minutes=2)
    db.session.commit()
    stub_worker.broker.flush_all()
    assert sweep.overdue_ids() == [rows[0].id]
    assert sweep.sweep() == 1
    stub_worker.drain()
    assert _row(rows[0].id).status == OutboxStatus.sent
    assert _row(rows[1].id).status == OutboxStatus.sending
    assert len(stub_worker.outbox_files()) == 1


def test_sweep_hands_over_rows_whose_message_was_lost(
    app, create_invitation, stub_worker, monkeypatch
):
    from reslog_events.mail import dispatch

    def broker_down(ids, **kw):
        raise ConnectionError("broker down")

    monkeypatch.setattr(dispatch, "enqueue_outgoing", broker_down)
    rows = _queued(create_invitation, 3)  # the commit succeeds, the enqueue does not
    monkeypatch.undo()
    stub_worker.drain()
    assert all(_row(r.id).status == OutboxStatus.queued for r in rows)
    assert sweep.overdue_ids() == []  # not overdue before OUTBOX_SWEEP_AFTER_SECONDS
    app.config["OUTBOX_SWEEP_AFTER_SECONDS"] = 0
    from workers.mail import sweep_outbox

    sweep_outbox.send()
    stub_worker.drain()
    assert all(_row(r.id).status == OutboxStatus.sent for r in rows)
    assert len(stub_worker.outbox_files()) == 3


def test_concurrent_claims_win_each_row_once(app, create_invitation):
    rows = _queued(create_invitation, 12)
    ids = [r.id for r in rows]
    won: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def claimer():
        with app.app_context():
            barrier.wait()
            lease = app.config["OUTBOX_LEASE_SECONDS"]
            got, _lease = claims.claim_batch(db.session.connection(), ids, lease)
            db.session.commit()
            with lock:
                won.extend(got)
            db.session.remove()

    threads = [threading.Thread(target=claimer) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == sorted(ids)  # every row claimed, none twice


def test_skipped_message_leaves_the_earlier_status(app, api, create_event, create_invitation):
    event = create_event(rsvp_deadline=utcnow() + timedelta(days=2))
    new = create_invitation(event=event)
    (first,) = [queue_email("invitation", invitation=new.invitation)]
    db.session.commit()
    delivery.deliver([first.id])
    assert _row(first.id).invitation.email_status == EmailStatus.sent
    reminder = queue_email("reminder", invitation=new.invitation)
    db.session.commit()
    assert _row(first.id).invitation.email_status == EmailStatus.queued
    new.invitation.status = new.invitation.status.__class__("accepted")
    db.session.commit()
    assert delivery.deliver([reminder.id]).skipped == [reminder.id]
    assert _row(first.id).invitation.email_status == EmailStatus.sent


def test_rate_limit_spreads_messages_over_seconds(app, create_invitation, stub_worker):
    app.config["MAIL_RATE_PER_SECOND"] = 3
    app.extensions.pop("mail_rate_limiter", None)
    try:
        rows = _queued(create_invitation, 7)
        # wait for the start of a second so that the windows are whole
        time.sleep(1 - time.time() % 1)
        started = time.monotonic()
        stub_worker.drain()
        elapsed = time.monotonic() - started
    finally:
        app.extensions.pop("mail_rate_limiter", None)
    assert all(_row(r.id).status == OutboxStatus.sent for r in rows)
    assert elapsed >= 2.0, elapsed  # 3 + 3 + 1: three one-second windows


def test_scripted_redis_limiter_takes_each_slot_once(app, redis_url):
    import uuid

    import redis
    from dramatiq.rate_limits import WindowRateLimiter

    from reslog_events.mail.ratelimit import ScriptedRedisBackend

    backend = ScriptedRedisBackend(client=redis.Redis.from_url(redis_url))
    limiter = WindowRateLimiter(backend, f"test-{uuid.uuid4().hex}", limit=5, window=1)
    time.sleep(1 - time.time() % 1 if time.time() % 1 > 0.8 else 0)  # stay within one second
    won = 0
    lock = threading.Lock()

    def take():
        nonlocal won
        for _ in range(4):
            with limiter.acquire(raise_on_failure=False) as acquired:
                if acquired:
                    with lock:
                        won += 1

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert won == 5  # 16 attempts from 4 threads, 5 slots in the window


def test_sweep_leaves_rows_waiting_behind_a_fan_out_at_the_send_rate(app, create_invitation):
    rows = _queued(create_invitation, 40)
    ids = [r.id for r in rows]
    # all due 75.5 s ago, their messages still in the broker behind each other
    db.session.query(OutgoingEmail).filter(OutgoingEmail.id.in_(ids)).update(
        {"next_attempt_at": utcnow() - timedelta(seconds=75.5)}
    )
    db.session.commit()
    app.config.update(OUTBOX_SWEEP_AFTER_SECONDS=60, MAIL_RATE_PER_SECOND=1)
    # 15.5 s past the grace: at one a second the rate had time for the 15 rows before the
    # 16th; the 17th is still waiting its turn
    assert sweep.overdue_ids() == ids[:16]
    app.config["MAIL_RATE_PER_SECOND"] = 0  # no rate: every row past the grace
    assert sweep.overdue_ids() == ids
    app.config["MAIL_RATE_PER_SECOND"] = 1
    assert sweep.overdue_ids(older_than=0) == ids  # `outbox sweep --all`, a process's start


def _update(ids, due_ago=None, **values):
    if due_ago is not None:
        values["next_attempt_at"] = utcnow() - timedelta(seconds=due_ago)
    db.session.query(OutgoingEmail).filter(OutgoingEmail.id.in_(ids)).update(values)
    db.session.commit()


def test_sweep_counts_the_rows_of_a_fan_out_already_sent(app, create_invitation):
    rows = _queued(create_invitation, 40)
    ids = [r.id for r in rows]
    app.config.update(OUTBOX_SWEEP_AFTER_SECONDS=60, MAIL_RATE_PER_SECOND=1)
    # all due 69.5 s ago: at one a second the first ten have had their turn and went; the
    # others wait behind them on schedule (the 11th's turn is 70 s after they fell due)
    _update(ids, due_ago=69.5)
    _update(ids[:10], status=OutboxStatus.sent, sent_at=utcnow())
    assert sweep.overdue_ids() == []
    # 6 s later nothing more was sent: the 11th to 16th rows' turns (10 to 15 s after they fell
    # due) are more than the grace ago, their messages lost; the 17th's is not yet
    _update(ids, due_ago=75.5)
    assert sweep.overdue_ids() == ids[10:16]
    # a row being sent counts like one sent
    _update(ids[10:12], status=OutboxStatus.sending, lease_until=utcnow() + timedelta(minutes=2))
    assert sweep.overdue_ids() == ids[12:16]
    assert sweep.overdue_ids(older_than=0) == ids[12:]  # no allowance for `outbox sweep --all`


def test_sweep_gives_no_allowance_for_a_backlog_long_gone(app, create_invitation):
    earlier, later = _queued(create_invitation, 30), _queued(create_invitation, 3)
    lost, before = later[0].id, [r.id for r in later[1:]]
    app.config.update(OUTBOX_SWEEP_AFTER_SECONDS=60, MAIL_RATE_PER_SECOND=1)
    # thirty rows sent ten minutes ago, the sender idle since: a row lost 61 s ago goes now;
    # rows failed or skipped just before it took no turn and do not hold it back
    _update([r.id for r in earlier], due_ago=600, status=OutboxStatus.sent, sent_at=utcnow())
    _update([lost], due_ago=61)
    _update(before[:1], due_ago=61.5, status=OutboxStatus.failed)
    _update(before[1:], due_ago=61.5, status=OutboxStatus.skipped)
    assert sweep.overdue_ids() == [lost]
    # had those two been sent, they came first: its turn is 59.5 s ago, within the grace
    _update(before, status=OutboxStatus.sent, sent_at=utcnow())
    assert sweep.overdue_ids() == []


def test_threads_waiting_for_the_rate_limit_wake_spread_over_the_next_second(app, monkeypatch):
    from reslog_events.mail import ratelimit
    from reslog_events.mail.backends import TransientMailError

    class Full:  # a window that is always full
        limit = 10

        def acquire(self, raise_on_failure=False):
            from contextlib import nullcontext

            return nullcontext(False)

    wakes: list[float] = []
    clock = [1000.0]

    def sleep(seconds):
        wakes.append((clock[0] + seconds) % 1.0)  # where in its second the thread wakes
        clock[0] += seconds

    monkeypatch.setattr(ratelimit, "provider_limiter", lambda app: Full())
    monkeypatch.setattr(ratelimit.time, "sleep", sleep)
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(ratelimit, "MAX_WAIT_SECONDS", 60.0)
    with pytest.raises(TransientMailError):
        ratelimit.acquire_send_slot(app)
    # the sends that follow the wake-ups are spread through the window, not bunched at its start
    assert len(wakes) >= 30
    assert max(wakes) - min(wakes) > 0.5, wakes


def test_waiting_for_our_own_send_rate_never_uses_up_attempts(
    app, smtp, create_invitation, monkeypatch
):
    from contextlib import nullcontext

    from reslog_events.mail import ratelimit

    class Full:  # our own limit's window, always full
        limit = 1

        def acquire(self, raise_on_failure=False):
            return nullcontext(False)

    (row,) = _queued(create_invitation)
    monkeypatch.setattr(ratelimit, "provider_limiter", lambda app: Full())
    monkeypatch.setattr(ratelimit, "MAX_WAIT_SECONDS", 0.0)
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    for _ in range(5):  # more turns than attempts allowed: still only waiting
        _row(row.id).next_attempt_at = utcnow()
        db.session.commit()
        report = delivery.deliver([row.id])
        assert list(report.retried) == [row.id] and 1 <= report.retried[row.id] <= 1.5
        waiting = _row(row.id)
        assert waiting.status == OutboxStatus.queued and waiting.attempts == 0
        assert waiting.next_attempt_at < utcnow() + timedelta(seconds=2)
    assert smtp.inbox.messages == []
    monkeypatch.undo()
    _row(row.id).next_attempt_at = utcnow()
    db.session.commit()
    assert delivery.deliver([row.id]).sent == [row.id]
    assert _row(row.id).attempts == 1 and len(smtp.inbox.messages) == 1
