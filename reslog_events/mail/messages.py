"""What a message says: one renderer per outbox `kind`, registered by the feature that owns it.

    @renderer("confirmation")
    def render_confirmation(outgoing: OutgoingEmail) -> RenderedEmail: ...

The send actor looks the renderer up by `outgoing.kind`, renders in `outgoing.language`, and hands
the result to the mail backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..invitations.models import Invitation, InvitationStatus
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


def render_email(template: str, **context: Any) -> str:
    """A template rendered for an email, in the current (forced) locale.

    Like Flask's render_template, without the pages' context processors (CSRF, navigation,
    language switch), which emails do not use; and with `gettext`/`ngettext` bound to the
    locale's catalogue once, instead of Flask-Babel looking it up through `g` for every string
    (a fan-out renders thousands of messages, each with dozens of strings)."""
    from flask import current_app

    context.update(_bound_gettext())
    return current_app.jinja_env.get_template(template).render(context)


_BOUND: dict[int, tuple[Any, dict[str, Any]]] = {}


def _bound_gettext() -> dict[str, Any]:
    """Jinja "newstyle" gettext and ngettext (autoescaped, %-formatted, as Flask-Babel installs
    them) over the current catalogue, made once per catalogue."""
    from flask_babel import get_translations
    from jinja2 import pass_context
    from markupsafe import Markup

    translations = get_translations()
    cached = _BOUND.get(id(translations))
    if cached is not None and cached[0] is translations:
        return cached[1]

    @pass_context
    def gettext(__context, __string: str, **variables: Any) -> str:
        rv = translations.ugettext(__string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704 - our own catalogue, as Jinja does
        return rv % variables

    @pass_context
    def ngettext(__context, __singular: str, __plural: str, __num: int, **variables: Any):
        variables.setdefault("num", __num)
        rv = translations.ungettext(__singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704 - our own catalogue, as Jinja does
        return rv % variables

    bound = {"gettext": gettext, "ngettext": ngettext}
    _BOUND[id(translations)] = (translations, bound)
    return bound


class SkipEmail(Exception):  # noqa: N818 - a decision, not an error
    """Raised by a renderer when the message must not go out any more (the event was cancelled
    before an invitation left, the invitee already answered a reminder…). The outbox row becomes
    `skipped` with this reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def live_invitation(outgoing: OutgoingEmail) -> Invitation:
    """The invitation an email about its event goes to; SkipEmail when it was revoked or the
    event cancelled since the email was queued."""
    invitation = outgoing.invitation
    if invitation is None or invitation.status == InvitationStatus.revoked:
        raise SkipEmail("the invitation was revoked")
    if invitation.event.is_cancelled:
        raise SkipEmail("the event was cancelled")
    return invitation


Renderer = Callable[[OutgoingEmail], RenderedEmail]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[kind] = fn
        return fn

    return register
