"""Stored files follow their rows: a file whose row (or whose event) is deleted is deleted from
the storage once the deletion is committed, and a file stored for a row that is rolled back is
deleted at the rollback. So the storage holds what the database lists, on every backend, and a
failed upload leaves nothing behind.

Files are deleted after the commit, never before: a rollback must find its file still there.
A storage that fails then leaves an orphan, logged by its key (no personal data), never an
error for the person who deleted the row.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..events.models import Event
from .models import EventDocument, MinutesMailing
from .storage import Storage, get_storage

logger = logging.getLogger(__name__)

_WRITTEN = "documents_written"
_DOOMED = "documents_doomed"


def stored_in_transaction(session: Session, storage: Storage, key: str) -> None:
    """Remember a file put for this transaction: deleted again if it rolls back."""
    session.info.setdefault(_WRITTEN, []).append((storage, key))


def _doom_deleted(session: Session, flush_context: object, instances: object) -> None:
    """Before a flush: the files of deleted documents, and the documents of deleted events
    (rows and files; the session does not load them to delete them)."""
    keys = [o.storage_key for o in session.deleted if isinstance(o, EventDocument)]
    event_ids = [o.id for o in session.deleted if isinstance(o, Event)]
    if event_ids:
        of_events = EventDocument.event_id.in_(event_ids)
        keys += session.scalars(sa.select(EventDocument.storage_key).where(of_events)).all()
        # the rows too, in this transaction: SQLite enforces no ON DELETE CASCADE here
        documents = sa.select(EventDocument.id).where(of_events)
        session.execute(sa.delete(MinutesMailing).where(MinutesMailing.document_id.in_(documents)))
        session.execute(sa.delete(EventDocument).where(of_events))
    keys = [key for key in keys if key]
    if keys:
        storage = get_storage()
        session.info.setdefault(_DOOMED, []).extend((storage, key) for key in keys)


def _delete(pairs: list[tuple[Storage, str]], why: str) -> None:
    for storage, key in pairs:
        try:
            storage.delete(key)
        except Exception:  # noqa: BLE001 - an orphan file, not the user's failure
            logger.warning("could not delete stored document %s (%s)", key, why)


def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete(session.info.pop(_DOOMED, []), "deleted")


def _after_rollback(session: Session) -> None:
    session.info.pop(_DOOMED, None)
    _delete(session.info.pop(_WRITTEN, []), "rolled back")


def init_app() -> None:
    from flask_sqlalchemy.session import Session as FlaskSession

    if not event.contains(FlaskSession, "after_commit", _after_commit):
        event.listen(FlaskSession, "before_flush", _doom_deleted)
        event.listen(FlaskSession, "after_commit", _after_commit)
        event.listen(FlaskSession, "after_rollback", _after_rollback)
