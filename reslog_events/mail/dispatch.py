"""Handing outbox rows to the workers (after the commit that wrote them).

Small sets go as one `send_email` message per row. A fan-out of hundreds goes as `send_emails`
messages of `BATCH` ids each: the web request enqueues a few dozen messages instead of thousands,
and a worker claims, loads and renders a batch with a handful of queries. Either way each row is
claimed on its own, so a batch that dies half-way leaves the rest to the sweep.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..jobs import enqueue

#: rows per send_emails message
BATCH = 25
#: at or below this many rows, one message per row (lowest latency for single emails)
SINGLE_UP_TO = 10


def batches(ids: Sequence[int], size: int = BATCH) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def enqueue_outgoing(ids: Sequence[int], *, delay_ms: int | None = None) -> None:
    """Send the messages for these outbox rows; raises when the broker is unreachable (the rows
    stay queued and the sweep hands them over later)."""
    delay = delay_ms or None
    if len(ids) <= SINGLE_UP_TO:
        for outgoing_id in ids:
            enqueue("send_email", outgoing_id, delay_ms=delay)
        return
    for batch in batches(ids):
        enqueue("send_emails", batch, delay_ms=delay)
