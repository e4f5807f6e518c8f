"""The outbox sweep: hands rows whose message was lost back to the workers.

    sweep()              # the sweep_outbox actor (the clock sends it every 30 s)
    sweep(older_than=0)  # every due row now (embedded worker's start, `outbox sweep --all`)

A message is lost when the broker was down at the commit, a process died between the commit and
the enqueue, Redis restarted empty, a delayed retry vanished, or a worker died holding a claim.
See docs/delivery.md.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..core.columns import utcnow
from ..extensions import db
from .models import OutboxStatus, OutgoingEmail

logger = logging.getLogger(__name__)

#: how far before the oldest overdue row the sweep looks for the rows of its backlog: a backlog
#: that began earlier is modelled as if it began then (its rows may be handed over early:
#: harmless, their claims fail; never late)
BACKLOG_HORIZON_SECONDS = 3600.0

#: the rows an ideal sender at the send rate takes a turn for: those sent or being sent count
#: as well as those still waiting (failed and skipped rows may not have used a turn)
_TAKE_A_TURN = (OutboxStatus.queued, OutboxStatus.sending, OutboxStatus.sent)


class _EpochSeconds(FunctionElement):
    """Seconds since 1970 of a UTC datetime column, as a float, on PostgreSQL and SQLite."""

    type = sa.Float()
    inherit_cache = True


@compiles(_EpochSeconds)
def _epoch_seconds(element: _EpochSeconds, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS FLOAT)"


@compiles(_EpochSeconds, "sqlite")
def _epoch_seconds_sqlite(element: _EpochSeconds, compiler: Any, **kw: Any) -> str:
    # SQLite keeps the UTC time as text, naive; julianday() reads it with its fraction
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


def overdue_ids(limit: int = 5000, older_than: float | None = None) -> list[int]:
    """Rows whose message seems lost: queued and due for longer than OUTBOX_SWEEP_AFTER_SECONDS
    (broker down at commit, a crash between commit and enqueue, a lost delayed retry), or
    `sending` with an expired lease (the worker died).

    With a send rate (MAIL_RATE_PER_SECOND) a queued row is overdue only a grace after its turn
    under an ideal first-come, first-served sender at that rate (`_past_their_turn`): behind a
    fan-out of 10,000 at 50 a second the last row waits 200 s with its message safely in the
    broker, and handing it over again would only queue a second message behind the first
    (bench/surge.py). A row whose message is lost still goes at most a grace (and a sweep
    interval) after its turn. `older_than` (0: every due row, e.g. when a process starts)
    gives no such allowance."""
    now = utcnow()
    rate = 0.0
    if older_than is None:
        older_than = current_app.config["OUTBOX_SWEEP_AFTER_SECONDS"]
        rate = float(current_app.config.get("MAIL_RATE_PER_SECOND") or 0)
    deadline = now - timedelta(seconds=older_than)
    if rate > 0:
        queued = _past_their_turn(deadline, rate, limit)
    else:
        queued = db.session.scalars(
            sa.select(OutgoingEmail.id)
            .where(
                OutgoingEmail.status == OutboxStatus.queued,
                OutgoingEmail.next_attempt_at <= deadline,
            )
            .order_by(OutgoingEmail.next_attempt_at, OutgoingEmail.id)
            .limit(limit)
        ).all()
    expired = db.session.scalars(
        sa.select(OutgoingEmail.id)
        .where(OutgoingEmail.status == OutboxStatus.sending, OutgoingEmail.lease_until < now)
        .order_by(OutgoingEmail.id)
        .limit(limit)
    ).all()
    return sorted(set(queued) | set(expired))[:limit]


def _past_their_turn(deadline: datetime, rate: float, limit: int) -> list[int]:
    """Queued rows whose turn under an ideal first-come, first-served sender at `rate` came
    before `deadline` (now less the grace).

    The sender takes the rows in the order they fell due (`next_attempt_at`, then id), sent
    ones included: the k-th row's turn is max over the rows j up to it of
    (due_j + (k - j) / rate), the start of its busy period plus the turns of the rows since
    then, however many of them have already gone. A row sent keeps the `next_attempt_at` of the
    attempt that sent it; a row put back for a retry falls due again later and queues anew.
    Rows due after `deadline` cannot come before a row due by then, so they are not read.

    Two statements: the oldest queued row due (an index lookup; nothing more when there is
    none), then one pass over the rows due since BACKLOG_HORIZON_SECONDS before it, with the
    running maximum as a window function; at most `limit` ids come back (cost: bench/sweep.py)."""
    table = OutgoingEmail
    oldest = db.session.scalar(
        sa.select(sa.func.min(table.next_attempt_at)).where(
            table.status == OutboxStatus.queued, table.next_attempt_at <= deadline
        )
    )
    if oldest is None:
        return []
    backlog = (
        sa.select(
            table.id,
            table.status,
            _EpochSeconds(table.next_attempt_at).label("due"),
            sa.func.row_number().over(order_by=(table.next_attempt_at, table.id)).label("k"),
        )
        .where(
            table.status.in_(_TAKE_A_TURN),
            table.next_attempt_at >= oldest - timedelta(seconds=BACKLOG_HORIZON_SECONDS),
            table.next_attempt_at <= deadline,
        )
        .subquery("backlog")
    )
    step = sa.literal(1.0 / rate, sa.Float)
    turn = (
        sa.func.max(backlog.c.due - backlog.c.k * step).over(order_by=backlog.c.k, rows=(None, 0))
        + backlog.c.k * step
    )
    paced = sa.select(backlog.c.id, backlog.c.status, backlog.c.k, turn.label("turn")).subquery(
        "paced"
    )
    return list(
        db.session.scalars(
            sa.select(paced.c.id)
            .where(
                paced.c.status == OutboxStatus.queued,
                paced.c.turn <= sa.literal(deadline.timestamp(), sa.Float),
            )
            .order_by(paced.c.k)
            .limit(limit)
        )
    )


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
