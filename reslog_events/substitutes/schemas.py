"""The colleague an invitee sends instead (the RSVP form's `response=substitute`)."""

from __future__ import annotations

from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, Field

from ..core.api import Schema
from ..core.validation import field_labels
from ..directory.schemas import Email


def _stripped(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


class ColleagueIn(Schema):
    substitute_name: Annotated[str, BeforeValidator(_stripped), Field(min_length=1, max_length=200)]
    substitute_email: Annotated[Email, BeforeValidator(_stripped)]
    substitute_position: Annotated[
        Annotated[str, Field(max_length=200)] | None, BeforeValidator(_stripped)
    ] = None


field_labels(
    ColleagueIn,
    labels={
        "substitute_name": _l("Name and surname"),
        "substitute_email": _l("Email"),
        "substitute_position": _l("Position (optional)"),
    },
)
