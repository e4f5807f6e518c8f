"""Validation errors as people read them: in the request's language, naming the field as the form
labels it, choices by their labels, and never pydantic's own English, a regular expression or an
internal value.

Each feature registers its forms' labels next to its schemas:

    field_labels(OrganisationIn, OrganisationPatch, {"name": _l("Name"), "kind": _l("Kind")})

and every way a request is validated (`@endpoint`, the pages' `validate_form`) and every field
message an operation raises (`DomainError.fields`) goes through `validation_fields` or
`labelled`: `{"kind": "Tür: Şunlardan birini seçin: Belediye, Birlik, …"}`. The keys stay the
schema's field names (the contract's `fields`).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from pydantic import BaseModel, ValidationError

#: a field's label: a (lazy) text, or a function of the error's location (nested fields)
Label = Any | Callable[[tuple[Any, ...]], Any]

_LABELS: dict[type[BaseModel], dict[str, Label]] = {}
_FORMATS: dict[type[BaseModel], dict[str, Any]] = {}

#: the years a day or a moment in a request may fall in (core.api.WITHIN_YEARS)
FIRST_YEAR, LAST_YEAR = 1900, 2200


def field_labels(*models: type[BaseModel], labels: dict[str, Label]) -> None:
    """Register the labels of these models' fields, as the forms show them."""
    for model in models:
        _LABELS.setdefault(model, {}).update(labels)


def field_formats(*models: type[BaseModel], formats: dict[str, Any]) -> None:
    """Register what a field's text must look like, said for people, for the fields checked
    against a pattern (else the message would have to show the regular expression)."""
    for model in models:
        _FORMATS.setdefault(model, {}).update(formats)


def _registered(registry: dict, model: type[BaseModel] | None, name: str) -> Any:
    for cls in model.__mro__ if model is not None else ():
        found = registry.get(cls, {}).get(name)
        if found is not None:
            return found
    return None


def label_of(model: type[BaseModel] | None, loc: Iterable[Any]) -> str | None:
    loc = tuple(loc)
    if not loc or model is None:
        return None
    label = _registered(_LABELS, model, str(loc[0]))
    if callable(label) and not isinstance(label, LazyString):
        label = label(loc)
    return str(label) if label is not None else None


def with_label(label: str | None, message: str) -> str:
    if not label or message.startswith(label):
        return message
    return _("%(field)s: %(message)s", field=label, message=message)


def labelled(model: type[BaseModel] | None, fields: dict[str, str]) -> dict[str, str]:
    """Field messages (an operation's, keyed by dotted location) with their fields' labels."""
    return {
        key: with_label(label_of(model, key.split(".")), message) for key, message in fields.items()
    }


def _annotation(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> Any:
    if model is None or not loc or str(loc[0]) not in model.model_fields:
        return None
    return model.model_fields[str(loc[0])].annotation


def _enum_in(annotation: Any) -> type[enum.Enum] | None:
    """The enum a field's type holds (`Kind | None`, `list[Language]`, `Annotated[…]`)."""
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, enum.Enum):
            return item
        if typing.get_origin(item) is not None or isinstance(item, types.UnionType):
            stack.extend(typing.get_args(item))
    return None


def _separator() -> str:
    return "، " if str(get_locale() or "").split("_")[0] == "ar" else ", "


def _choices(model: type[BaseModel] | None, err: dict[str, Any]) -> str:
    found = _enum_in(_annotation(model, tuple(err["loc"])))
    if found is None:
        return _("Choose one of the values offered.")
    labels = [str(getattr(member, "label", member.value)) for member in found]
    return _("Choose one of: %(choices)s.", choices=_separator().join(labels))


def _too_long(err: dict[str, Any], ctx: dict[str, Any]) -> str:
    if isinstance(err.get("input"), str):
        return _("At most %(num)s characters.", num=ctx.get("max_length", ""))
    return _("Choose at most %(num)s.", num=ctx.get("max_length", ""))


def _pattern(model: type[BaseModel] | None, err: dict[str, Any]) -> str:
    hint = _registered(_FORMATS, model, str(err["loc"][0])) if err["loc"] else None
    return str(hint) if hint is not None else _("This is not in the expected form.")


def message_of(err: Any, model: type[BaseModel] | None = None) -> str:
    """The message of one pydantic error, in the request's language, without its field."""
    ctx = err.get("ctx") or {}
    kind = err["type"]
    known: dict[str, Callable[[], Any]] = {
        "missing": lambda: _("This field is required."),
        "extra_forbidden": lambda: _("This field is not allowed."),
        "string_too_long": lambda: _("At most %(num)s characters.", num=ctx.get("max_length", "")),
        "string_too_short": lambda: (
            _("This field is required.")
            if ctx.get("min_length") == 1
            else _("At least %(num)s characters.", num=ctx.get("min_length", ""))
        ),
        "too_long": lambda: _too_long(err, ctx),
        "too_short": lambda: _("This field is required."),
        "string_pattern_mismatch": lambda: _pattern(model, err),
        "int_parsing": lambda: _("Enter a whole number."),
        "int_type": lambda: _("Enter a whole number."),
        "int_from_float": lambda: _("Enter a whole number."),
        "greater_than_equal": lambda: _("Must be at least %(num)s.", num=ctx.get("ge", "")),
        "greater_than": lambda: _("Must be at least %(num)s.", num=ctx.get("gt", 0) + 1),
        "less_than_equal": lambda: _("Must be at most %(num)s.", num=ctx.get("le", "")),
        "bool_parsing": lambda: _("Enter yes or no."),
        "bool_type": lambda: _("Enter yes or no."),
        "datetime_from_date_parsing": lambda: _("Enter a date and time."),
        "datetime_parsing": lambda: _("Enter a date and time."),
        "datetime_type": lambda: _("Enter a date and time."),
        "date_from_datetime_parsing": lambda: _("Enter a date."),
        "date_parsing": lambda: _("Enter a date."),
        "date_type": lambda: _("Enter a date."),
        "date_out_of_range": lambda: _(
            "Enter a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR
        ),
        "enum": lambda: _choices(model, err),
        "literal_error": lambda: _("Choose one of the values offered."),
        "string_type": lambda: _("Enter text."),
        "list_type": lambda: _("Enter a list."),
        "model_type": lambda: _("Enter an object."),
        "model_attributes_type": lambda: _("Enter an object."),
        "dict_type": lambda: _("Enter an object."),
        "none_required": lambda: _("This field is not allowed."),
        "url_parsing": lambda: _("Enter a web address starting with http:// or https://."),
        "url_scheme": lambda: _("Enter a web address starting with http:// or https://."),
    }
    if kind in known:
        return str(known[kind]())
    if kind == "value_error" and "email" in str(err.get("msg", "")).lower():
        return _("Enter a valid email address.")
    # the feature's own message (raised with gettext, so in the request's language already)
    return str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")


def validation_fields(exc: ValidationError, model: type[BaseModel] | None = None) -> dict[str, str]:
    """{dotted location: message naming the field}, the first error of each field."""
    fields: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        if loc not in fields:
            fields[loc] = with_label(label_of(model, err["loc"]), message_of(err, model))
    return fields
