"""The transactional outbox: queue an email inside the caller's transaction; it is handed to the
workers only after that transaction commits (a rollback sends nothing).

    queue_email("confirmation", invitation=inv)
    db.session.commit()   # → the send_email actor gets the row's id
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from .models import OutgoingEmail

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
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, []).append(row.id)
    return row


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
