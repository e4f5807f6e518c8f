"""Delivery reports from the provider (SendGrid's Event Webhook) applied to the outbox.

    apply_events([{"sg_event_id": "…", "event": "delivered", "outgoing_id": "42", …}])

Each report is stored once (`DeliveryEvent.provider_event_id` is unique: SendGrid retries a
webhook until it gets a 2xx, so the same event may arrive twice). A message's `delivery_status`
only moves towards the stronger outcome (deferred < delivered < bounced/dropped), because reports
can arrive out of order. A hard bounce flags the contact's address for the organisers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..core.columns import utcnow
from ..core.routing import parse_id
from ..directory.models import Contact
from ..extensions import db
from ..invitations.models import Invitation
from .delivery import refresh_email_status
from .models import DeliveryEvent, DeliveryStatus, OutgoingEmail

logger = logging.getLogger(__name__)

#: SendGrid event → what it says about delivery (other events are recorded, nothing more)
STATUS_OF_EVENT = {
    "deferred": DeliveryStatus.deferred,
    "delivered": DeliveryStatus.delivered,
    "bounce": DeliveryStatus.bounced,
    "dropped": DeliveryStatus.dropped,
}
RANK = {
    None: 0,
    DeliveryStatus.deferred: 1,
    DeliveryStatus.delivered: 2,
    DeliveryStatus.bounced: 3,
    DeliveryStatus.dropped: 3,
}


@dataclass
class Applied:
    recorded: int = 0
    duplicates: int = 0
    unmatched: int = 0
    ignored: int = 0


def _outgoing_for(item: dict[str, Any]) -> OutgoingEmail | None:
    raw = item.get("outgoing_id")
    ident = parse_id(str(raw)) if raw is not None else None
    if ident is not None:
        row = db.session.get(OutgoingEmail, ident)
        if row is not None:
            return row
    # sg_message_id is "<X-Message-Id>.<filter and server ids>"
    message_id = str(item.get("sg_message_id") or "").split(".", 1)[0]
    if message_id:
        return db.session.scalar(
            sa.select(OutgoingEmail).where(OutgoingEmail.provider_message_id == message_id)
        )
    return None


def _occurred(item: dict[str, Any]) -> datetime:
    try:
        return datetime.fromtimestamp(int(item["timestamp"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def _insert_event(values: dict[str, Any]) -> bool:
    """Store the report unless it is stored already; True when new."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (
        insert(DeliveryEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["provider_event_id"])
        .returning(DeliveryEvent.id)
    )
    return db.session.scalar(stmt) is not None


def _reason(item: dict[str, Any]) -> str | None:
    parts = [str(item[k]) for k in ("type", "status", "reason", "response") if item.get(k)]
    return " · ".join(parts)[:1000] or None


def apply_events(items: list[Any]) -> Applied:
    """Record the reports and move the statuses. The caller commits."""
    result = Applied()
    touched_invitations: set[int] = set()
    for item in items:
        if not isinstance(item, dict) or not item.get("sg_event_id") or not item.get("event"):
            result.ignored += 1
            continue
        event = str(item["event"])[:32]
        row = _outgoing_for(item)
        if row is None:
            result.unmatched += 1
        new = _insert_event(
            {
                "provider_event_id": str(item["sg_event_id"])[:100],
                "outgoing_email_id": row.id if row is not None else None,
                "event": event,
                "reason": _reason(item),
                "occurred_at": _occurred(item),
                "received_at": utcnow(),
            }
        )
        if not new:
            result.duplicates += 1
            continue
        result.recorded += 1
        status = STATUS_OF_EVENT.get(event)
        if row is None or status is None:
            continue
        if RANK[status] > RANK[row.delivery_status]:
            row.delivery_status = status
        if row.invitation_id is not None:
            touched_invitations.add(row.invitation_id)
            if event == "bounce" and item.get("type") != "blocked":
                _flag_contact(row, _occurred(item), _reason(item))
    db.session.flush()
    refresh_email_status(sorted(touched_invitations))
    return result


def _flag_contact(row: OutgoingEmail, when: datetime, reason: str | None) -> None:
    """A hard bounce: the address does not exist. Flag it, if it is still the contact's."""
    invitation = db.session.get(Invitation, row.invitation_id)
    contact: Contact | None = invitation.contact if invitation else None
    if contact is None or (contact.email or "").lower() != row.to_address.lower():
        return
    contact.email_bounced_at = when
    contact.email_bounce_reason = (reason or "bounce")[:500]
    logger.info("contact %s: hard bounce of outgoing email %s", contact.id, row.id)
