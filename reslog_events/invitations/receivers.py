"""What invitees hear when their event changes; connected once per process by `connect()`.

Receivers run inside the transaction of the change (core.signals), so the outbox rows they write
commit or roll back with it:

- `event_rescheduled` (a published event's time or place changed): an `update` to every invitee
  who has not declined (nor been revoked) and whose invitation has left or is about to; when
  only venue notes changed, to those of them whose language's notes changed.
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


def notified_invitation_ids(event_id: int, languages: list[str] | None = None) -> list[int]:
    """Those who hear of a change (`languages`: only invitees of those languages)."""
    statement = notified_statement(event_id, languages=languages)
    return list(db.session.scalars(statement.order_by(Invitation.id)))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | bool | str):
        return value
    return str(value)


def update_payload(
    event: Event,
    changes: dict[str, tuple[Any, Any]] | None,
    notes_languages: list[str] | None = None,
) -> dict[str, Any]:
    """What an `update` email needs beyond the records (also for the form's preview of it)."""
    changed = {k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()}
    payload: dict[str, Any] = {"sequence": event.sequence, "changes": changed}
    if notes_languages:
        payload["notes_languages"] = list(notes_languages)
    return payload


def on_rescheduled(
    event: Event,
    changes: dict[str, tuple[Any, Any]] | None = None,
    notes_languages: list[str] | None = None,
    **_: Any,
) -> None:
    """A new time or place reaches everyone notified; new venue notes alone reach those whose
    language's notes changed (an Arabic note leaves the Turkish invitees' entry as it was)."""
    ids = notified_invitation_ids(event.id, None if changes else notes_languages)
    if ids:
        payload = update_payload(event, changes, notes_languages)
        queue_invitation_emails(ids, kind="update", payload=payload)


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
