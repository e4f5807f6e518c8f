"""Sending outbox rows: claim, render, hand to the backend, record the outcome.

    deliver([12, 13, 14])   # what the send actors do; safe to call twice for the same ids

A row moves queued → sending (claimed, with a lease) → sent | failed | skipped, or back to queued
with a later `next_attempt_at` after a transient error. The claim is one conditional UPDATE that
only one worker can win (`status` queued and due, or `sending` with an expired lease), committed
before the message is sent; a lease covers one message. The `sent` mark is committed right after
the provider accepted the message: between the two lies the at-least-once window written down in
docs/delivery.md.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..core.columns import utcnow
from ..extensions import db
from ..invitations.models import EmailStatus, Invitation
from .backends import MailBackend, PermanentMailError, TransientMailError, get_backend
from .compose import AddressError, ComposedEmail, calendar_method, message_id_for
from .messages import RENDERERS, SkipEmail
from .models import DeliveryStatus, OutboxStatus, OutgoingEmail
from .ratelimit import acquire_send_slot

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


# --- claiming ----------------------------------------------------------------------------------


def _claimable(now) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(
            OutgoingEmail.status == OutboxStatus.queued,
            OutgoingEmail.next_attempt_at <= now,
        ),
        sa.and_(
            OutgoingEmail.status == OutboxStatus.sending,
            OutgoingEmail.lease_until < now,
        ),
    )


def claim(ids: list[int]) -> list[int]:
    """Claim the claimable rows among `ids` for this worker and commit; returns the won ids.

    Two workers running this for the same row at once: the database serialises the UPDATEs
    (PostgreSQL re-checks the WHERE after the first commits; SQLite locks the file), so exactly
    one of them gets the row back.
    """
    if not ids:
        return []
    now = utcnow()
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    won = db.session.scalars(
        sa.update(OutgoingEmail)
        .where(OutgoingEmail.id.in_(ids), _claimable(now))
        .values(
            status=OutboxStatus.sending,
            lease_until=lease,
            attempts=OutgoingEmail.attempts + 1,
        )
        .returning(OutgoingEmail.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(won)


# --- the invitation's email_status follows its latest message ----------------------------------

_EMAIL_STATUS_OF_ROW = sa.case(
    (OutgoingEmail.status.in_([OutboxStatus.queued, OutboxStatus.sending]), EmailStatus.queued),
    (OutgoingEmail.status == OutboxStatus.failed, EmailStatus.failed),
    (OutgoingEmail.delivery_status == DeliveryStatus.delivered, EmailStatus.delivered),
    (OutgoingEmail.delivery_status == DeliveryStatus.bounced, EmailStatus.bounced),
    (OutgoingEmail.delivery_status == DeliveryStatus.dropped, EmailStatus.failed),
    else_=EmailStatus.sent,
)


def _refresh_statement() -> sa.Update:
    latest = (
        sa.select(_EMAIL_STATUS_OF_ROW)
        .where(
            OutgoingEmail.invitation_id == Invitation.id,
            OutgoingEmail.status != OutboxStatus.skipped,
        )
        .order_by(OutgoingEmail.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    any_row = (
        sa.select(OutgoingEmail.id)
        .where(
            OutgoingEmail.invitation_id == Invitation.id,
            OutgoingEmail.status != OutboxStatus.skipped,
        )
        .exists()
    )
    return (
        sa.update(Invitation.__table__)
        .where(Invitation.id.in_(sa.bindparam("invitation_ids", expanding=True)), any_row)
        .values(email_status=latest)
    )


# The statements run for every message are built once (Core, bound parameters): building and
# walking a statement costs more CPU than PostgreSQL spends running it.
_REFRESH = _refresh_statement()
_table = OutgoingEmail.__table__
_CLAIM_ONE = (
    sa.update(_table)
    .where(
        _table.c.id == sa.bindparam("row_id"),
        sa.or_(
            sa.and_(
                _table.c.status == OutboxStatus.queued,
                _table.c.next_attempt_at <= sa.bindparam("now"),
            ),
            sa.and_(
                _table.c.status == OutboxStatus.sending,
                _table.c.lease_until < sa.bindparam("now"),
            ),
        ),
    )
    .values(
        status=OutboxStatus.sending,
        lease_until=sa.bindparam("lease"),
        attempts=_table.c.attempts + 1,
    )
    .returning(_table.c.attempts)
)
_MARK_SENT = (
    sa.update(_table)
    .where(_table.c.id == sa.bindparam("row_id"), _table.c.status == OutboxStatus.sending)
    .values(
        status=OutboxStatus.sent,
        lease_until=None,
        sent_at=sa.bindparam("sent_at"),
        provider_message_id=sa.bindparam("provider_id"),
        subject=sa.bindparam("subject_text"),
        last_error=None,
    )
)


def refresh_email_status(invitation_ids: list[int]) -> None:
    """Set each invitation's `email_status` from its latest message that was not skipped.

    One UPDATE with a correlated subquery, so concurrent workers finishing different messages of
    one invitee cannot leave an older message's status behind.
    """
    if invitation_ids:
        db.session.connection().execute(_REFRESH, {"invitation_ids": sorted(set(invitation_ids))})


# --- outcomes ----------------------------------------------------------------------------------


def _finish(row: OutgoingEmail, **values: Any) -> None:
    db.session.execute(
        sa.update(OutgoingEmail)
        .where(OutgoingEmail.id == row.id, OutgoingEmail.status == OutboxStatus.sending)
        .values(lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    if row.invitation_id is not None:
        refresh_email_status([row.invitation_id])


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


def _send_one(row: OutgoingEmail, backend: MailBackend, report: Report) -> None:
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
        acquire_send_slot(current_app._get_current_object())
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
    db.session.connection().execute(
        _MARK_SENT,
        {
            "row_id": row.id,
            "sent_at": utcnow(),
            "provider_id": (provider_id or composed.message_id)[:255],
            "subject_text": composed.rendered.subject[:300],
        },
    )
    if row.invitation_id is not None:
        refresh_email_status([row.invitation_id])
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


def _claim_one(row_id: int) -> int | None:
    """Claim one row (not committed); returns its attempts counting this one, or None."""
    now = utcnow()
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    # Core statements on the session's connection: no ORM execution machinery per message
    return db.session.connection().scalar(
        _CLAIM_ONE, {"row_id": row_id, "now": now, "lease": lease}
    )


def deliver(ids: list[int]) -> Report:
    """Send the outbox rows `ids` that this worker can claim. Idempotent: rows already sent,
    being sent by another worker, or not yet due are left alone.

    The rows are loaded together (one query), then claimed one at a time just before each is
    sent, so a lease only ever covers one message: the claim of the next row is committed in
    the same transaction as the outcome of the previous one (one commit per message).
    """
    report = Report()
    wanted = sorted(set(ids))
    session = db.session()
    # Commits after each message must not expire the rows still to send (no reload per row).
    session.expire_on_commit = False
    try:
        rows = [
            row
            for row in _load(wanted)
            if row.status in (OutboxStatus.queued, OutboxStatus.sending)
        ]
        report.not_claimed = sorted(set(wanted) - {row.id for row in rows})
        if not rows:
            db.session.rollback()
            return report
        backend = get_backend(current_app._get_current_object())
        attempts = _claim_one(rows[0].id)
        db.session.commit()
        for index, row in enumerate(rows):
            if attempts is None:
                report.not_claimed.append(row.id)
            else:
                set_committed_value(row, "attempts", attempts)
                set_committed_value(row, "status", OutboxStatus.sending)
                _send_one(row, backend, report)
            following = rows[index + 1].id if index + 1 < len(rows) else None
            attempts = _claim_one(following) if following is not None else None
            db.session.commit()
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
