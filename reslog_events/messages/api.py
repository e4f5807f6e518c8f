"""JSON API of messages to a group: `POST /api/v1/events/{id}/messages`."""

from __future__ import annotations

from flask import g

from ..auth.permissions import EDITORS
from ..core.api import api_blueprint, endpoint, get_or_404
from ..events.models import Event
from ..extensions import db
from . import operations
from .schemas import MessageIn, MessageResult

bp = api_blueprint("messages_api", __name__)


@endpoint(
    bp,
    "/events/<int:event_id>/messages",
    "POST",
    roles=EDITORS,
    body=MessageIn,
    response=MessageResult,
    status=202,
    extra_statuses={409: "The event is cancelled or not published yet"},
    summary="Email a message to one group of the event's invitees (accepted, attended, no_show, "
    "pending, waitlisted, declined); subject and body as text or by language",
)
def send_message(event_id: int, body: MessageIn) -> MessageResult:
    event = get_or_404(Event, event_id, "Event")
    message = operations.send_message(event, body, by=g.api_user)
    db.session.commit()
    return MessageResult(recipients=message.recipients, message_id=message.id)
