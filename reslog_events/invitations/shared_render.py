"""An email template rendered once for every invitee of a batch, the invitee's own values put in
afterwards.

    shared_render("emails/invitation.html", context)   # what render_email(template, **context)
                                                        # gives, byte for byte

A fan-out sends the same email to thousands of people; only the name and the personal RSVP link
differ. The template is rendered once per shared context — kind, language, the event's record,
its agenda, the organiser's note — with stand-ins for the name and the link; each message then
puts its own values, escaped as the template would have escaped them (autoescaped templates:
HTML-escaped; text: as they are), where the stand-ins were.

The renders are kept across batches, per app (a worker process), in a bounded cache
(`MAX_RENDERS`; bench.invitations_profile). The key holds the *values* the shared render was made
from: every column of the event's record and of its agenda's sessions and sites (`row_state`),
and the other shared values. Any edit to the event — its title, a translation, the time (a new
SEQUENCE), the agenda — is a new key, so no body is sent stale, whether or not the edit touched
`updated_at`. A shared value that cannot be hashed makes the template render in full.

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
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from markupsafe import escape

from ..core.lru import BoundedCache
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
#: shared renders kept per app: an event's fan-out needs up to 2 templates × 4 kinds × 4
#: languages = 32; the least recently used go first
MAX_RENDERS = 256


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


def shared_renders(app: Flask | None = None) -> BoundedCache[tuple, Any]:
    """The app's shared renders (created on first use), shared by a worker's threads: each a
    list of pieces, or `_FULL`; never changed once stored."""
    extensions = (app or current_app).extensions
    renders = extensions.get("shared_email_renders")
    if renders is None:
        renders = extensions.setdefault("shared_email_renders", BoundedCache(MAX_RENDERS))
    return renders


#: the types of most shared values (strings, flags, dates): keys as they are
_VALUE_TYPES = frozenset({str, bool, int, float, type(None), date, datetime})


@lru_cache(maxsize=32)
def _column_keys(model: type) -> tuple[str, ...]:
    return tuple(attr.key for attr in sa.inspect(model).column_attrs)


def row_state(record: Any) -> tuple:
    """The values of every column of `record`, hashable: what a shared render made from the
    record is keyed by, so that it cannot outlive a change. JSON columns enter as their repr
    (equal reprs are equal values: at worst a miss, never a stale render)."""
    loaded = record.__dict__  # what the ORM has loaded, read without its descriptors
    values = []
    for key in _column_keys(type(record)):
        value = loaded[key] if key in loaded else getattr(record, key)
        if isinstance(value, dict | list):
            value = repr(value)
        values.append(value)
    return (type(record).__name__, *values)


def _key_of(value: Any) -> Any:
    """A shared value as it enters the key: records by their columns' values, objects that
    carry a `render_key` (the agenda) by it, anything else as it is."""
    if type(value) in _VALUE_TYPES:
        return value
    if hasattr(value, "_sa_instance_state"):
        return row_state(value)
    render_key = getattr(value, "render_key", None)
    return value if render_key is None else render_key


def shared_render(template: str, context: dict[str, Any]) -> str:
    """`render_email(template, **context)`, with the template rendered once per shared
    context in this app (see the module's docstring)."""
    return shared_render_all((template,), context)[0]


def shared_render_all(templates: tuple[str, ...], context: dict[str, Any]) -> list[str]:
    """`shared_render` of each template with one context (the key worked out once)."""
    shared = {k: v for k, v in context.items() if k not in PER_INVITEE}
    try:
        state = tuple(sorted((k, _key_of(v)) for k, v in shared.items()))
        hash(state)
    except TypeError:
        return [render_email(template, **context) for template in templates]
    return [_render(template, state, shared, context) for template in templates]


def _render(template: str, state: tuple, shared: dict[str, Any], context: dict[str, Any]) -> str:
    contact = context.get("contact")
    rsvp_url = context.get("rsvp_url")
    if contact is None or not isinstance(rsvp_url, str):
        return render_email(template, **context)
    key = (template, state)
    cache = shared_renders()
    pieces = cache.get(key)
    if pieces is _FULL:
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
        cache.put(key, _FULL)
        return full
    if _fill(pieces, template, contact.full_name, rsvp_url) != full:
        logger.warning("%s differs when rendered once for all: rendered in full", template)
        cache.put(key, _FULL)
        return full
    cache.put(key, pieces)
    return full


def _fill(pieces: list[str], template: str, name: str | None, rsvp_url: str) -> str:
    if current_app.select_jinja_autoescape(template):
        values = {_NAME: str(escape(name)), _URL: str(escape(rsvp_url))}
    else:
        values = {_NAME: "" if name is None else str(name), _URL: rsvp_url}
    return "".join([values.get(piece, piece) for piece in pieces])
