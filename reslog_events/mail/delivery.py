"""Sending outbox rows: claim, render, hand to the backend, record the outcome.

    deliver([12, 13, 14])   # what the send actors do; safe to call twice for the same ids

A row moves queued → sending (claimed, with a lease) → sent | failed | skipped, or back to queued
with a later `next_attempt_at` after a transient error. The claim is one conditional UPDATE for the
batch that only one worker can win per row (`status` queued and due, or `sending` with an expired
lease), committed before anything is sent; the lease is renewed while the batch runs. The `sent`
mark is committed right after the provider accepted each message: between the two lies the
at-least-once window written down in docs/delivery.md (statements in mail.claims).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import joinedload

from ..core.columns import utcnow
from ..extensions import db
from ..invitations.models import Invitation
from . import claims
from .backends import (
    MailBackend,
    OwnRateLimit,
    PermanentMailError,
    TransientMailError,
    get_backend,
)
from .compose import AddressError, ComposedEmail, calendar_method, message_id_for
from .messages import RENDERERS, SkipEmail
from .models import OutboxStatus, OutgoingEmail
from .ratelimit import SendSlots

logger = logging.getLogger(__name__)

#: attempts before a row that keeps failing transiently is given up as failed
MAX_ATTEMPTS = 10


@dataclass
class Report:
    """What one deliver() call did, by outcome (for logs and tests)."""

    sent: list[int] = field(default_factory=list)
    retried: dict[int, float] = field(default_factory=dict)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    not_claimed: list[int] = field(default_factory=list)


def refresh_email_status(invitation_ids: list[int]) -> None:
    """Set each invitation's `email_status` from its latest message that was not skipped.

    One UPDATE with a correlated subquery, so concurrent workers finishing different messages of
    one invitee cannot leave an older message's status behind.
    """
    if invitation_ids:
        db.session.connection().execute(
            claims.REFRESH, {"invitation_ids": sorted(set(invitation_ids))}
        )


# --- outcomes ----------------------------------------------------------------------------------


def _finish(row: OutgoingEmail, **values: Any) -> None:
    """The row's outcome and its invitation's email_status (committed at once on PostgreSQL,
    where deliver() runs in autocommit; by deliver() after each message on SQLite)."""
    claims.finish(db.session.connection(), row.id, row.invitation_id, **values)


def backoff_seconds(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter from OUTBOX_RETRY_BASE_SECONDS, at least `retry_after`."""
    config = current_app.config
    base = float(config.get("OUTBOX_RETRY_BASE_SECONDS", 30))
    ceiling = float(config.get("OUTBOX_RETRY_MAX_SECONDS", 3600))
    delay = min(ceiling, base * 2 ** max(0, attempt - 1))
    delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not a secret
    if retry_after is not None:
        delay = max(delay, min(retry_after, ceiling))
    return delay


def _retry_or_fail(row: OutgoingEmail, error: TransientMailError, report: Report) -> None:
    if isinstance(error, OwnRateLimit):
        # Waiting for our own send rate is not a try at the provider: the claim's attempt is
        # given back and the row is due again in about a second, not after the backoff.
        delay = error.retry_after * random.uniform(1.0, 1.5)  # noqa: S311 - jitter
        _finish(
            row,
            status=OutboxStatus.queued,
            attempts=row.attempts - 1,
            next_attempt_at=utcnow() + timedelta(seconds=delay),
        )
        report.retried[row.id] = delay
        return
    max_attempts = int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS))
    if row.attempts >= max_attempts:
        reason = f"Gave up after {row.attempts} attempts: {error.reason}"
        _finish(row, status=OutboxStatus.failed, last_error=reason[:1000])
        report.failed.append(row.id)
        logger.warning("outgoing email %s failed: %s", row.id, reason)
        return
    delay = backoff_seconds(row.attempts, error.retry_after)
    _finish(
        row,
        status=OutboxStatus.queued,
        next_attempt_at=utcnow() + timedelta(seconds=delay),
        last_error=error.reason,
    )
    report.retried[row.id] = delay
    logger.info("outgoing email %s: %s; retry in %.1fs", row.id, error.reason, delay)


# --- sending -----------------------------------------------------------------------------------


def compose(row: OutgoingEmail) -> ComposedEmail:
    """Render the row in its language and wrap it for the backends (raises SkipEmail)."""
    render = RENDERERS.get(row.kind)
    if render is None:
        raise PermanentMailError(f"No renderer for emails of kind {row.kind!r}")
    with force_locale(row.language):
        rendered = render(row)
    config = current_app.config
    to_name = None
    if row.invitation is not None and row.invitation.contact is not None:
        to_name = row.invitation.contact.full_name
    return ComposedEmail(
        outgoing_id=row.id,
        sender=config["MAIL_FROM"],
        to_address=row.to_address,
        to_name=to_name,
        rendered=rendered,
        message_id=message_id_for(
            row.id, row.created_at.timestamp(), config["MAIL_FROM"], config["SECRET_KEY"]
        ),
        calendar_method=calendar_method(rendered.calendar) if rendered.calendar else None,
        headers={
            "X-RESLOG-Outbox-Id": str(row.id),
            "X-RESLOG-Kind": row.kind,
            # the language of the message (RFC 3282), for mail programs and screen readers
            "Content-Language": row.language,
        },
    )


def _send_one(
    row: OutgoingEmail, backend: MailBackend, report: Report, take_slot: Callable[[], None]
) -> None:
    try:
        composed = compose(row)
    except SkipEmail as exc:
        _finish(row, status=OutboxStatus.skipped, last_error=exc.reason[:1000])
        report.skipped.append(row.id)
        return
    except PermanentMailError as exc:
        _finish(row, status=OutboxStatus.failed, last_error=exc.reason)
        report.failed.append(row.id)
        return
    except Exception as exc:  # noqa: BLE001 - a rendering bug: keep the row, retry later
        logger.exception("could not render outgoing email %s", row.id)
        _retry_or_fail(row, TransientMailError(f"Could not render: {exc!r}"[:1000]), report)
        return
    try:
        take_slot()
        provider_id = backend.send(composed)
    except TransientMailError as exc:
        _retry_or_fail(row, exc, report)
        return
    except (PermanentMailError, AddressError) as exc:
        reason = exc.reason if isinstance(exc, PermanentMailError) else str(exc)
        _finish(row, status=OutboxStatus.failed, last_error=reason[:1000])
        report.failed.append(row.id)
        logger.warning("outgoing email %s failed permanently: %s", row.id, reason)
        return
    # The provider has it: record that at once (the at-least-once window closes here).
    _finish(
        row,
        status=OutboxStatus.sent,
        sent_at=utcnow(),
        provider_message_id=(provider_id or composed.message_id)[:255],
        subject=composed.rendered.subject[:300],
        last_error=None,
    )
    report.sent.append(row.id)


def _load(ids: list[int]) -> list[OutgoingEmail]:
    from ..events.models import Event

    return list(
        db.session.scalars(
            sa.select(OutgoingEmail)
            .where(OutgoingEmail.id.in_(ids))
            .options(
                joinedload(OutgoingEmail.invitation)
                .joinedload(Invitation.event)
                .joinedload(Event.organiser),
                joinedload(OutgoingEmail.invitation).joinedload(Invitation.contact),
            )
            .order_by(OutgoingEmail.id)
        ).unique()
    )


def deliver(ids: list[int]) -> Report:
    """Send the outbox rows `ids` that this worker can claim. Idempotent: rows already sent,
    being sent by another worker, or not yet due are left alone.

    The rows are claimed together (one statement, one lease for the batch) and loaded together,
    then sent one by one; each outcome is committed as soon as it is known, one statement per
    message on PostgreSQL (the connection is in autocommit for the batch: no BEGIN and COMMIT
    round trips). The lease is renewed for the rows still to send whenever half of it has
    passed, so no row is sent on a lease that may have ended (docs/delivery.md).
    """
    report = Report()
    wanted = sorted(set(ids))
    if not wanted:
        return report
    session = db.session()
    # What the caller had pending is committed first, as the claim's commit always did.
    session.commit()
    autocommit = session.get_bind().dialect.name == "postgresql"
    # The outcome of each message is committed at once; that must not expire the rows still
    # to send (no reload per row).
    session.expire_on_commit = False
    try:
        conn = session.connection(
            execution_options={"isolation_level": "AUTOCOMMIT"} if autocommit else None
        )
        lease_seconds = current_app.config["OUTBOX_LEASE_SECONDS"]
        claimed, lease = claims.claim_batch(conn, wanted, lease_seconds)
        if not autocommit:
            session.commit()
        renew_at = time.monotonic() + lease_seconds / 2
        rows = _load(sorted(claimed)) if claimed else []
        report.not_claimed = sorted(set(wanted) - {row.id for row in rows})
        backend = get_backend(current_app._get_current_object()) if rows else None
        slots = SendSlots(current_app._get_current_object())
        for index, row in enumerate(rows):
            if time.monotonic() >= renew_at:
                rest = [r.id for r in rows[index:]]
                held, lease = claims.renew(db.session.connection(), rest, lease, lease_seconds)
                if not autocommit:
                    session.commit()
                renew_at = time.monotonic() + lease_seconds / 2
                rows[index:] = [r for r in rows[index:] if r.id in held]
                report.not_claimed.extend(sorted(set(rest) - held))
                if index >= len(rows):
                    break
                row = rows[index]
            _send_one(row, backend, report, lambda left=len(rows) - index: slots.take(left))
            if not autocommit:
                session.commit()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.expire_on_commit = True
    report.not_claimed.sort()
    _enqueue_retries(report.retried)
    return report


def _enqueue_retries(retried: dict[int, float]) -> None:
    from .dispatch import enqueue_outgoing

    for outgoing_id, delay in retried.items():
        try:
            enqueue_outgoing([outgoing_id], delay_ms=max(1, int(delay * 1000)))
        except Exception:  # noqa: BLE001 - broker down: the sweep re-enqueues when it is due
            logger.warning("could not schedule the retry of outgoing email %s", outgoing_id)
