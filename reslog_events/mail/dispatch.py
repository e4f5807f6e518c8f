"""Handing outbox rows to the workers. Filled by the invitations pipeline (issue 3)."""

from __future__ import annotations


def enqueue_outgoing(ids: list[int]) -> None:
    """Send one `send_email` message per outbox row id (after the commit that wrote them)."""
    from workers.mail import send_email

    for outgoing_id in ids:
        send_email.send(outgoing_id)
