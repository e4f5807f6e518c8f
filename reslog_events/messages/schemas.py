"""The request to message a group: its audience, and a subject and body given once (in the event's
default language) or per language (`{"tr": "…", "ar": "…"}`)."""

from __future__ import annotations

from typing import Annotated, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, Field

from ..core.api import Schema
from ..core.validation import field_labels
from ..directory.models import Language
from .models import Audience

SUBJECT_MAX = 200
BODY_MAX = 10_000


def _per_language(max_length: int, *, one_line: bool = False):
    def one(text: str) -> str:
        if one_line and ("\n" in text or "\r" in text):
            raise ValueError(_("A subject is one line."))
        if len(text) > max_length:
            raise ValueError(_("At most %(num)s characters.", num=max_length))
        return text

    def check(value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError(_("This field is required."))
            return one(value)
        if not isinstance(value, dict) or not value:
            raise ValueError(_("Give a text, or an object of texts by language (tr, en, ar, sv)."))
        texts: dict[str, str] = {}
        for language, text in value.items():
            if language not in Language.__members__:
                raise ValueError(
                    _("Unknown language %(code)s: use tr, en, ar or sv.", code=language)
                )
            if not isinstance(text, str) or not text.strip():
                raise ValueError(_("The text in %(code)s is empty.", code=language))
            texts[language] = one(text.strip())
        return texts

    return check


Subject = Annotated[
    str | dict[str, str], BeforeValidator(_per_language(SUBJECT_MAX, one_line=True))
]
Body = Annotated[str | dict[str, str], BeforeValidator(_per_language(BODY_MAX))]


class MessageIn(Schema):
    """A message to one group of the event's invitees (emails through the outbox)."""

    audience: Audience
    subject: Subject
    body: Body


class MessageResult(Schema):
    #: emails queued (invitees of the audience who have an email address)
    recipients: int
    message_id: int


class AudienceQuery(Schema):
    audience: Audience = Field(...)


field_labels(
    MessageIn,
    labels={"audience": _l("To whom"), "subject": _l("Subject"), "body": _l("Message")},
)
