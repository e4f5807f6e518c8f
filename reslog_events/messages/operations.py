"""Sending a message to a group of an event's invitees (the caller commits): one stored message,
one outbox row per reachable member of the audience, one audit entry."""

from __future__ import annotations

from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.errors import DomainError
from ..events.models import Event, EventStatus
from ..extensions import db
from ..mail.outbox import queue_emails
from . import queries
from .models import EventMessage
from .schemas import MessageIn

KIND = "event_message"


class MessageRefused(DomainError):
    """The message cannot be sent (409): `code` for the API, `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(409, code, message)


def texts_by_language(value: str | dict[str, str], language: str) -> dict[str, str]:
    """A text given once is the default language's."""
    return {language: value} if isinstance(value, str) else dict(value)


def send_message(event: Event, data: MessageIn, *, by: User) -> EventMessage:
    """Queue the message to every member of `data.audience` who has an email address."""
    if event.is_cancelled:
        raise MessageRefused("event_cancelled", _("The event is cancelled."))
    if event.status != EventStatus.published:
        raise MessageRefused(
            "event_not_published", _("Messages can be sent once the event is published.")
        )
    language = queries.default_language(event)
    members = queries.audience_members(event.id, data.audience, utcnow())
    message = EventMessage(
        event_id=event.id,
        audience=data.audience,
        subject=texts_by_language(data.subject, language),
        body=texts_by_language(data.body, language),
        default_language=language,
        sent_by_id=by.id,
    )
    db.session.add(message)
    db.session.flush()
    ids = queue_emails(KIND, members, payload={"message_id": message.id})
    message.recipients = len(ids)
    db.session.flush()
    record(
        "event.message",
        event,
        {
            "message_id": message.id,
            "audience": data.audience.value,
            "recipients": len(ids),
            "languages": sorted(message.body),
        },
        user_id=by.id,
    )
    return message
