"""What invitees hear when their event changes; connected once per process by `connect()`.

Receivers run inside the transaction of the change (core.signals), so the outbox rows they write
commit or roll back with it:

- `event_rescheduled` (a published event's time or place changed): an `update` to every invitee
  who has not declined (nor been revoked) and whose invitation has left or is about to.
- `event_cancelled`: a `cancellation` (METHOD:CANCEL) to the same people.
- `event_published`: the invitations prepared while the event was a draft go out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..core.signals import event_cancelled, event_published, event_rescheduled
from ..events.models import Event
from ..extensions import db
from ..mail.models import OutgoingEmail
from .models import Invitation
from .operations import queue_invitation_emails
from .queries import NOT_NOTIFIED, notified_statement


def notified_invitation_ids(event_id: int) -> list[int]:
    return list(db.session.scalars(notified_statement(event_id).order_by(Invitation.id)))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | bool | str):
        return value
    return str(value)


def update_payload(event: Event, changes: dict[str, tuple[Any, Any]] | None) -> dict[str, Any]:
    """What an `update` email needs beyond the records (also for the form's preview of it)."""
    changed = {k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()}
    return {"sequence": event.sequence, "changes": changed}


def on_rescheduled(event: Event, changes: dict[str, tuple[Any, Any]] | None = None, **_: Any):
    ids = notified_invitation_ids(event.id)
    if ids:
        queue_invitation_emails(ids, kind="update", payload=update_payload(event, changes))


def on_cancelled(event: Event, **_: Any) -> None:
    ids = notified_invitation_ids(event.id)
    if ids:
        queue_invitation_emails(ids, kind="cancellation", payload={"sequence": event.sequence})


def on_published(event: Event, **_: Any) -> None:
    """Queue the invitation emails of invitations prepared while the event was a draft."""
    never_sent = (
        sa.select(OutgoingEmail.id)
        .where(OutgoingEmail.invitation_id == Invitation.id, OutgoingEmail.kind == "invitation")
        .exists()
    )
    ids = list(
        db.session.scalars(
            sa.select(Invitation.id)
            .where(
                Invitation.event_id == event.id,
                Invitation.status.not_in(NOT_NOTIFIED),
                ~never_sent,
            )
            .order_by(Invitation.id)
        )
    )
    if ids:
        queue_invitation_emails(ids)


def connect() -> None:
    """Connect the receivers (blinker keeps one connection per function: safe to call twice)."""
    event_rescheduled.connect(on_rescheduled)
    event_cancelled.connect(on_cancelled)
    event_published.connect(on_published)
