"""The transactional outbox: queue an email inside the caller's transaction; it is handed to the
workers only after that transaction commits (a rollback sends nothing).

    queue_email("confirmation", invitation=inv)
    db.session.commit()   # → the send_email actor gets the row's id

`queue_emails` does the same for many invitations at once (one multi-row INSERT).
A message about an invitation sets its `email_status` back to `queued`: the status follows the
latest email to the invitee (see mail.delivery).
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..core.columns import utcnow
from ..extensions import db
from .models import OutboxStatus, OutgoingEmail

_PENDING_KEY = "outbox_pending_ids"
logger = logging.getLogger(__name__)


def queue_email(
    kind: str,
    *,
    invitation: Any | None = None,
    user: Any | None = None,
    to_address: str | None = None,
    language: str | None = None,
    payload: dict[str, Any] | None = None,
) -> OutgoingEmail | None:
    """Add one outgoing email row; returns None when there is nobody to send it to."""
    if invitation is not None:
        contact = invitation.contact
        to_address = to_address or contact.email
        language = language or contact.language.value
    elif user is not None:
        to_address = to_address or user.email
        language = language or user.language or "en"
    if not to_address:
        return None
    row = OutgoingEmail(
        kind=kind,
        invitation=invitation,
        user_id=user.id if user is not None else None,
        to_address=to_address,
        language=language or "tr",
        payload=payload or {},
    )
    db.session.add(row)
    if invitation is not None:
        from ..invitations.models import EmailStatus

        invitation.email_status = EmailStatus.queued
    db.session.flush()
    _remember(db.session, [row.id])
    return row


def queue_emails(
    kind: str,
    recipients: list[tuple[int, str | None, str]],
    *,
    payload: dict[str, Any] | None = None,
    fresh: frozenset[int] | set[int] = frozenset(),
) -> list[int]:
    """Outbox rows for many invitations in one statement: `recipients` are
    (invitation_id, address, language); those without an address are left out. Returns the new
    rows' ids, which are enqueued after the commit like `queue_email`'s. `fresh` are invitations
    created in this transaction (their `email_status` is `queued` already: not updated again)."""
    from ..invitations.models import EmailStatus, Invitation

    now = utcnow()
    rows = [
        {
            "kind": kind,
            "invitation_id": invitation_id,
            "to_address": address,
            "language": language or "tr",
            "payload": payload or {},
            "status": OutboxStatus.queued,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for invitation_id, address, language in recipients
        if address
    ]
    if not rows:
        return []
    # (no sort_by_parameter_order: on SQLite it would insert row by row; the ids are sorted)
    ids = sorted(db.session.scalars(sa.insert(OutgoingEmail).returning(OutgoingEmail.id), rows))
    invitation_ids = [r["invitation_id"] for r in rows if r["invitation_id"] not in fresh]
    for start in range(0, len(invitation_ids), _CHUNK):
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.id.in_(invitation_ids[start : start + _CHUNK]))
            .values(email_status=EmailStatus.queued)
            .execution_options(synchronize_session=False)
        )
    _remember(db.session, ids)
    return ids


#: ids per IN (…) list: well under SQLite's and PostgreSQL's parameter limits
_CHUNK = 5000


def _remember(session: Session, ids: list[int]) -> None:
    session.info.setdefault(_PENDING_KEY, []).extend(ids)


def _enqueue_after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING_KEY, None)
    if ids:
        from .dispatch import enqueue_outgoing

        try:
            enqueue_outgoing(ids)
        except Exception:  # noqa: BLE001 - broker down: the rows stay queued for the sweep
            logger.warning("could not enqueue %d outgoing emails; the sweep will", len(ids))


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def init_app(app: Any) -> None:
    # Listen on the Session class Flask-SQLAlchemy uses, once per process.
    from flask_sqlalchemy.session import Session as FlaskSession

    if not event.contains(FlaskSession, "after_commit", _enqueue_after_commit):
        event.listen(FlaskSession, "after_commit", _enqueue_after_commit)
        event.listen(FlaskSession, "after_rollback", _forget_after_rollback)
