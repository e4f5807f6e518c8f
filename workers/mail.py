"""Mail actors. They take outbox ids (never objects), and are idempotent: a duplicate message for
a row that is sent, or being sent by another worker, does nothing (see mail.claims).

    send_email.send(42)              # one row
    send_emails.send([42, 43, 44])   # a batch of a fan-out
    sweep_outbox.send()              # what the clock sends every minute

Single rows (a confirmation, an answer's notice: someone is waiting) and fan-outs' batches have
queues of their own, and a worker thread that comes free takes a single row before a batch
(`priority`: Dramatiq runs the lowest first), so a confirmation overtakes the invitations of a
fan-out still queued instead of waiting for all of them (bench/surge.py).
"""

from __future__ import annotations

import logging

import dramatiq

from reslog_events.jobs import BULK_MAIL_QUEUE, MAIL_QUEUE, MAINTENANCE_QUEUE

from .broker import broker  # noqa: F401 - the broker is set before any actor is declared

logger = logging.getLogger(__name__)


#: Dramatiq's priorities: the lowest number first among the messages a worker has fetched
SINGLE_PRIORITY = 0
BULK_PRIORITY = 100


@dramatiq.actor(
    queue_name=MAIL_QUEUE, priority=SINGLE_PRIORITY, max_retries=5, time_limit=10 * 60 * 1000
)
def send_email(outgoing_id: int) -> None:
    """Send one outbox row (claim, render, send, record)."""
    from reslog_events.mail.delivery import deliver

    deliver([outgoing_id])


@dramatiq.actor(
    queue_name=BULK_MAIL_QUEUE, priority=BULK_PRIORITY, max_retries=5, time_limit=15 * 60 * 1000
)
def send_emails(outgoing_ids: list[int]) -> None:
    """Send a batch of outbox rows (claimed together, each outcome recorded on its own)."""
    from reslog_events.mail.delivery import deliver

    deliver(list(outgoing_ids))


@dramatiq.actor(queue_name=MAINTENANCE_QUEUE, max_retries=0, time_limit=5 * 60 * 1000)
def sweep_outbox() -> None:
    """Re-enqueue outbox rows whose message was lost (see mail.sweep.overdue_ids)."""
    from reslog_events.mail.sweep import sweep

    sweep()


@dramatiq.actor(queue_name=MAINTENANCE_QUEUE, max_retries=0, time_limit=10 * 60 * 1000)
def send_scheduled_reminders() -> None:
    """Remind the invitees still pending REMINDER_DAYS_BEFORE_DEADLINE days before an event's
    RSVP deadline, and those who accepted `reminder_hours` before its start; each invitation is
    reminded once for each (see invitations.reminders and invitations.event_reminders)."""
    from reslog_events.invitations.reminders import send_scheduled_reminders as run

    run()


@dramatiq.actor(queue_name=MAINTENANCE_QUEUE, max_retries=0, time_limit=10 * 60 * 1000)
def send_certificates() -> None:
    """Email the certificates of attendance of events that email them when they end; each
    participant gets theirs once (see certificates.mailing)."""
    from reslog_events.certificates.mailing import send_certificates as run

    run()


@dramatiq.actor(queue_name=MAINTENANCE_QUEUE, max_retries=0, time_limit=10 * 60 * 1000)
def send_feedback_surveys() -> None:
    """Email the feedback survey to those who attended events that ended; each participant
    is asked once (see feedback.operations)."""
    from reslog_events.feedback.operations import send_due_surveys

    send_due_surveys()
