"""The outbox sweep: hands rows whose message was lost back to the workers.

    sweep()              # the sweep_outbox actor (the clock sends it every 30 s)
    sweep(older_than=0)  # every due row now (embedded worker's start, `outbox sweep --all`)

A message is lost when the broker was down at the commit, a process died between the commit and
the enqueue, Redis restarted empty, a delayed retry vanished, or a worker died holding a claim.
See docs/delivery.md.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..core.columns import utcnow
from ..extensions import db
from .models import OutboxStatus, OutgoingEmail

logger = logging.getLogger(__name__)


def overdue_ids(limit: int = 5000, older_than: float | None = None) -> list[int]:
    """Rows whose message seems lost: queued and due for longer than OUTBOX_SWEEP_AFTER_SECONDS
    (broker down at commit, a crash between commit and enqueue, a lost delayed retry), or
    `sending` with an expired lease (the worker died).

    With a send rate (MAIL_RATE_PER_SECOND), a queued row is given, on top of the grace, the
    time the rate needs for the queued rows due before it: behind a fan-out of 10,000 at 50 a
    second the last row waits 200 s with its message safely in the broker, and handing it over
    again would only queue a second message behind the first (bench/surge.py). A row whose
    message is lost still goes at most a grace (and a sweep interval) later than the rate
    would have sent it. `older_than` (0: every due row, e.g. when a process starts) gives no
    such allowance."""
    now = utcnow()
    backlog = older_than is None
    if older_than is None:
        older_than = current_app.config["OUTBOX_SWEEP_AFTER_SECONDS"]
    grace = timedelta(seconds=older_than)
    queued = db.session.execute(
        sa.select(OutgoingEmail.id, OutgoingEmail.next_attempt_at)
        .where(
            OutgoingEmail.status == OutboxStatus.queued,
            OutgoingEmail.next_attempt_at <= now - grace,
        )
        .order_by(OutgoingEmail.next_attempt_at, OutgoingEmail.id)
        .limit(limit)
    ).all()
    rate = float(current_app.config.get("MAIL_RATE_PER_SECOND") or 0) if backlog else 0.0
    if rate > 0:
        # the k-th row due is overdue once the rate has had time for the k rows before it
        queued = [
            (row_id, due)
            for k, (row_id, due) in enumerate(queued)
            if due <= now - grace - timedelta(seconds=k / rate)
        ]
    expired = db.session.scalars(
        sa.select(OutgoingEmail.id)
        .where(OutgoingEmail.status == OutboxStatus.sending, OutgoingEmail.lease_until < now)
        .order_by(OutgoingEmail.id)
        .limit(limit)
    ).all()
    return sorted({row_id for row_id, _due in queued} | set(expired))[:limit]


def sweep(older_than: float | None = None) -> int:
    """Hand overdue rows to the workers again; returns how many. Duplicated messages are
    harmless: only one claim per row succeeds. `older_than` overrides the grace period
    OUTBOX_SWEEP_AFTER_SECONDS (0: every due row, e.g. when a process starts)."""
    from .dispatch import enqueue_outgoing

    ids = overdue_ids(older_than=older_than)
    db.session.rollback()
    if ids:
        enqueue_outgoing(ids)
        logger.info("outbox sweep re-enqueued %d rows", len(ids))
    return len(ids)
