from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..extensions import db
from ..invitations.models import Invitation


class OutboxStatus(LabelledEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    #: not sent, on purpose: what it announced no longer holds (event cancelled, invitation
    #: revoked, answer already given); `last_error` says why
    skipped = "skipped"


class DeliveryStatus(LabelledEnum):
    """What the provider's webhook last reported for a sent message (strongest wins)."""

    deferred = "deferred"
    delivered = "delivered"
    bounced = "bounced"
    dropped = "dropped"


labels(
    {
        OutboxStatus.queued: _l("Queued"),
        OutboxStatus.sending: _l("Sending"),
        OutboxStatus.sent: _l("Sent"),
        OutboxStatus.failed: _l("Failed"),
        OutboxStatus.skipped: _l("Not sent"),
    }
)

labels(
    {
        DeliveryStatus.deferred: _l("Deferred"),
        DeliveryStatus.delivered: _l("Delivered"),
        DeliveryStatus.bounced: _l("Bounced"),
        DeliveryStatus.dropped: _l("Dropped"),
    }
)


class OutgoingEmail(db.Model):
    """One message to send: the transactional outbox.

    Written in the same transaction as the change it announces; enqueued after the commit;
    claimed atomically by one worker (status `sending` with a lease) before it is sent.
    """

    __tablename__ = "outgoing_emails"
    __table_args__ = (
        sa.Index("ix_outgoing_emails_status_due", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what the message says: invitation, update, cancellation, reminder, confirmation, …
    kind: Mapped[str] = mapped_column(sa.String(32))
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    #: for messages to users (report ready, monthly summary)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(2))
    #: what rendering needs beyond the records (e.g. the calendar SEQUENCE of an update)
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.queued
    )
    attempts: Mapped[int] = mapped_column(default=0)
    #: a `sending` claim is the worker's until then; after it, the sweep hands it to another
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: not before then (backoff, Retry-After)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))
    #: the provider's id (SendGrid X-Message-Id, SMTP Message-ID)
    provider_message_id: Mapped[str | None] = mapped_column(sa.String(255), index=True)
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    #: the provider's last word on a sent message (SendGrid Event Webhook)
    delivery_status: Mapped[DeliveryStatus | None] = mapped_column(enum_column(DeliveryStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation | None] = relationship()


class DeliveryEvent(db.Model):
    """An event from the provider's webhook (delivered, bounce, dropped, deferred…)."""

    __tablename__ = "delivery_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SendGrid's sg_event_id: a webhook retried by SendGrid is recorded once
    provider_event_id: Mapped[str] = mapped_column(sa.String(100), unique=True)
    outgoing_email_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outgoing_emails.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(sa.String(32))
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
