"""Every write of the documents feature (the caller commits): upload, minutes, visibility,
deletion and the minutes' mailing, each with its audit entry. The audit names ids, types and
sizes, never a file name or a text (they may name people)."""

from __future__ import annotations

import secrets
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.errors import DomainError
from ..events.models import Event
from ..extensions import db
from ..mail.outbox import queue_emails
from . import files, queries
from .cleanup import stored_in_transaction
from .models import DocumentKind, EventDocument, MinutesMailing, Visibility
from .storage import get_storage

#: the outbox kind of the minutes' email
KIND = "minutes_notice"


class DocumentRefused(DomainError):
    """An upload or a write refused: `fields` names the form's field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(status, code, message, {field: message} if field else None)


def max_bytes() -> int:
    return int(current_app.config["DOCUMENTS_MAX_MB"]) * 1024 * 1024


def too_large() -> DocumentRefused:
    limit = current_app.config["DOCUMENTS_MAX_MB"]
    message = _("The file is too large (at most %(mb)d MB).", mb=limit)
    return DocumentRefused(413, "too_large", message, "file")


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def add_file(
    event: Event, stream: IO[bytes], filename: str, visibility: Visibility, *, by: User
) -> EventDocument:
    """Check the file (size, type by its content), store it under a random key, index it."""
    size = _size(stream)
    if size > max_bytes():
        raise too_large()
    if size == 0:
        raise DocumentRefused(422, "empty_file", _("The file is empty."), "file")
    kind = files.sniff(stream, filename)
    if kind is None:
        message = _(
            "This kind of file cannot be attached. Allowed: %(types)s (the content must match "
            "the name's ending).",
            types=", ".join(files.EXTENSIONS),
        )
        raise DocumentRefused(422, "unsupported_type", message, "file")
    key = f"event-{event.id}/{secrets.token_hex(16)}"
    storage = get_storage()
    db.session.connection()  # in a transaction now, so that a rollback takes the file too
    storage.put(key, stream, kind.content_type)
    stored_in_transaction(db.session(), storage, key)
    document = EventDocument(
        event_id=event.id,
        kind=DocumentKind.file,
        visibility=visibility,
        title=files.display_name(filename),
        storage_key=key,
        content_type=kind.content_type,
        size_bytes=size,
        author_id=by.id,
    )
    db.session.add(document)
    db.session.flush()
    record(
        "document.upload",
        document,
        {
            "event_id": event.id,
            "content_type": kind.content_type,
            "size": size,
            "visibility": visibility.value,
        },
        user_id=by.id,
    )
    return document


def write_minutes(
    event: Event, title: str, body: str, visibility: Visibility, *, by: User
) -> EventDocument:
    document = EventDocument(
        event_id=event.id,
        kind=DocumentKind.minutes,
        visibility=visibility,
        title=title,
        body=body,
        author_id=by.id,
    )
    db.session.add(document)
    db.session.flush()
    record(
        "document.minutes",
        document,
        {"event_id": event.id, "visibility": visibility.value, "characters": len(body)},
        user_id=by.id,
    )
    return document


def update_minutes(
    document: EventDocument, title: str, body: str, visibility: Visibility, *, by: User
) -> EventDocument:
    changed = sorted(
        name
        for name, value in (("title", title), ("body", body), ("visibility", visibility))
        if getattr(document, name) != value
    )
    document.title, document.body, document.visibility = title, body, visibility
    document.author_id = by.id
    document.updated_at = utcnow()
    db.session.flush()
    record(
        "document.minutes_update",
        document,
        {"event_id": document.event_id, "changed": changed, "visibility": visibility.value},
        user_id=by.id,
    )
    return document


def change_visibility(document: EventDocument, visibility: Visibility, *, by: User) -> None:
    before = document.visibility
    document.visibility = visibility
    document.updated_at = utcnow()
    db.session.flush()
    record(
        "document.visibility",
        document,
        {"event_id": document.event_id, "from": before.value, "to": visibility.value},
        user_id=by.id,
    )


def delete_document(document: EventDocument, *, by: User) -> None:
    """The row now; the stored file once this is committed (cleanup). Audited by the
    document's id (its upload or minutes entry has the same), never its name (docs/privacy.md:
    ids, not contents)."""
    record(
        "document.delete",
        document,
        {
            "event_id": document.event_id,
            "kind": document.kind.value,
            "visibility": document.visibility.value,
            "content_type": document.content_type,
            "size": document.size_bytes,
        },
        user_id=by.id,
    )
    db.session.delete(document)
    db.session.flush()


def check_sendable(document: EventDocument) -> None:
    """Minutes go to the attendees only if they may read them on their RSVP page."""
    if document.kind != DocumentKind.minutes:
        raise DocumentRefused(409, "not_minutes", _("Only minutes can be sent."))
    if document.event.is_cancelled:
        raise DocumentRefused(409, "event_cancelled", _("The event is cancelled."))
    if document.visibility == Visibility.organisers:
        message = _(
            "These minutes are visible to the organisers only: make them visible to those who "
            "attended (or everyone invited) before sending them."
        )
        raise DocumentRefused(409, "not_visible", message, "visibility")


def send_minutes(document: EventDocument, nonce: str, *, by: User) -> tuple[MinutesMailing, bool]:
    """Email every attendee a link to the minutes, once per confirmation (`nonce`).
    Returns the mailing and whether it was sent now (False: that confirmation was sent before)."""
    check_sendable(document)
    earlier = db.session.scalar(sa.select(MinutesMailing).where(MinutesMailing.nonce == nonce))
    if earlier is not None:
        return earlier, False
    mailing = MinutesMailing(document_id=document.id, nonce=nonce, sent_by_id=by.id)
    try:
        with db.session.begin_nested():  # a second click at the same moment: its row loses
            db.session.add(mailing)
    except sa.exc.IntegrityError:
        earlier = db.session.scalar(sa.select(MinutesMailing).where(MinutesMailing.nonce == nonce))
        return earlier, False
    ids = queue_emails(
        KIND,
        queries.attendees(document.event_id),
        payload={"document_id": document.id, "mailing_id": mailing.id},
    )
    mailing.recipients = len(ids)
    db.session.flush()
    record(
        "document.minutes_sent",
        document,
        {"event_id": document.event_id, "mailing_id": mailing.id, "recipients": len(ids)},
        user_id=by.id,
    )
    return mailing, True
