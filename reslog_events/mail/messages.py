"""What a message says: one renderer per outbox `kind`, registered by the feature that owns it.

    @renderer("confirmation")
    def render_confirmation(outgoing: OutgoingEmail) -> RenderedEmail: ...

The send actor looks the renderer up by `outgoing.kind`, renders in `outgoing.language`, and hands
the result to the mail backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import OutgoingEmail


@dataclass
class Attachment:
    filename: str
    content_type: str  # e.g. "image/png", "text/calendar; method=REQUEST"
    data: bytes
    #: Content-ID for inline use in the HTML (<img src="cid:…">), or None
    content_id: str | None = None


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)
    #: an iCalendar body sent as a text/calendar alternative part (method from the calendar)
    calendar: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


class SkipEmail(Exception):  # noqa: N818 - a decision, not an error
    """Raised by a renderer when the message must not go out any more (the event was cancelled
    before an invitation left, the invitee already answered a reminder…). The outbox row becomes
    `skipped` with this reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Renderer = Callable[[OutgoingEmail], RenderedEmail]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[kind] = fn
        return fn

    return register
