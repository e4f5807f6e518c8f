"""An email template rendered once for every invitee of a batch, the invitee's own values put in
afterwards.

    shared_render("emails/invitation.html", context)   # what render_email(template, **context)
                                                        # gives, byte for byte

A fan-out sends the same email to thousands of people; only the name and the personal RSVP link
differ. The template is rendered once per batch (per app context) and per shared context — kind,
language, the event's state, the organiser's note — with stand-ins for the name and the link;
each message then puts its own values, escaped as the template would have escaped them
(autoescaped templates: HTML-escaped; text: as they are), where the stand-ins were.

It holds only while the template uses the invitee's values as plain output (`{{ contact.full_name
}}`, `{{ rsvp_url }}`, also inside a translated string). So the stand-ins refuse any other use —
the template reading another attribute of the contact or the invitation, printing them, or doing
anything with the name or the link but print it (a filter, a test, a comparison, its length) —
and such a template is rendered in full for every message of that context. As a second check,
the first message of each shared context is rendered both ways and compared.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import current_app, g
from markupsafe import escape

from ..mail.messages import render_email

logger = logging.getLogger(__name__)

#: context entries that differ from one invitee to the next
PER_INVITEE = ("invitation", "contact", "rsvp_url")
#: private-use characters: in no template, translation or record
_NAME = "\ue000reslog-name\ue001"
_URL = "\ue000reslog-url\ue001"
_SLOTS = re.compile(f"({_NAME}|{_URL})")
#: a shared context that cannot be rendered once
_FULL = object()


class NotShared(Exception):  # noqa: N818 - a signal, not an error
    """The template used a per-invitee value in a way a shared render cannot reproduce."""


class _Slot(str):
    """The stand-in for a name or a link: it can be printed (escaped or not, %-formatted) and
    nothing else: its length, comparisons, slicing, iteration or any method (a filter such as
    `upper` or `truncate`, a test on it) raise NotShared."""

    __hash__ = str.__hash__

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("__"):
            return super().__getattribute__(name)
        raise NotShared(name)

    def _refuse(self, *args: Any) -> Any:
        raise NotShared("an operation on a per-invitee value")

    __len__ = __getitem__ = __iter__ = __contains__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __mul__ = __rmul__ = __mod__ = __rmod__ = _refuse


class _StandIn:
    """Stands for the contact (or the invitation) in a shared render: only `full_name` can be
    read; anything else raises NotShared (not AttributeError, which Jinja would swallow)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        raise NotShared(name)

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        raise NotShared("__str__")


def shared_render(template: str, context: dict[str, Any]) -> str:
    """`render_email(template, **context)`, with the template rendered once per shared
    context in this app context (see the module's docstring)."""
    contact = context.get("contact")
    rsvp_url = context.get("rsvp_url")
    shared = {k: v for k, v in context.items() if k not in PER_INVITEE}
    try:
        event = shared.get("event")
        # the event object stays the same when it is changed within one app context: its state
        state = (event.id, event.sequence, event.updated_at) if event is not None else None
        key = (template, state, tuple(sorted(shared.items(), key=lambda item: item[0])))
        hash(key)
    except TypeError:
        return render_email(template, **context)
    cache = g.setdefault("_shared_email_renders", {})
    pieces = cache.get(key)
    if pieces is _FULL or contact is None or not isinstance(rsvp_url, str):
        return render_email(template, **context)
    if pieces is not None:
        return _fill(pieces, template, contact.full_name, rsvp_url)
    full = render_email(template, **context)
    try:
        pieces = _SLOTS.split(
            render_email(
                template,
                **shared,
                invitation=_StandIn(),
                contact=_StandIn(full_name=_Slot(_NAME)),
                rsvp_url=_Slot(_URL),
            )
        )
    except NotShared as exc:
        logger.info("%s uses %s per invitee: rendered in full for each", template, exc)
        cache[key] = _FULL
        return full
    if _fill(pieces, template, contact.full_name, rsvp_url) != full:
        logger.warning("%s differs when rendered once for all: rendered in full", template)
        cache[key] = _FULL
        return full
    cache[key] = pieces
    return full


def _fill(pieces: list[str], template: str, name: str | None, rsvp_url: str) -> str:
    if current_app.select_jinja_autoescape(template):
        values = {_NAME: str(escape(name)), _URL: str(escape(rsvp_url))}
    else:
        values = {_NAME: "" if name is None else str(name), _URL: rsvp_url}
    return "".join([values.get(piece, piece) for piece in pieces])
