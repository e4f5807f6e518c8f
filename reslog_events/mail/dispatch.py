"""Handing outbox rows to the workers (after the commit that wrote them).

Small sets go as one `send_email` message per row. A fan-out of hundreds goes as `send_emails`
messages of `BATCH` ids each: the web request enqueues a few dozen messages instead of thousands,
and a worker claims, loads and renders a batch with a handful of queries. Either way each row is
claimed on its own, so a batch that dies half-way leaves the rest to the sweep.
"""

from __future__ import annotations

from collections.abc import Sequence

#: rows per send_emails message
BATCH = 25
#: at or below this many rows, one message per row (lowest latency for single emails)
SINGLE_UP_TO = 10


def batches(ids: Sequence[int], size: int = BATCH) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def enqueue_outgoing(ids: Sequence[int], *, delay_ms: int | None = None) -> None:
    """Send the messages for these outbox rows; raises when the broker is unreachable (the rows
    stay queued and the sweep hands them over later)."""
    from workers.mail import send_email, send_emails

    options = {"delay": delay_ms} if delay_ms else {}
    if len(ids) <= SINGLE_UP_TO:
        for outgoing_id in ids:
            send_email.send_with_options(args=(outgoing_id,), **options)
        return
    for batch in batches(ids):
        send_emails.send_with_options(args=(batch,), **options)
