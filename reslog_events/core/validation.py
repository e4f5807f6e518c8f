"""Validation errors as people read them: in the request's language, naming the field as the form
labels it, choices by their labels, and never pydantic's own English, a regular expression or an
internal value.

Each feature registers its forms' labels next to its schemas:

    field_labels(OrganisationIn, OrganisationPatch, labels={"name": _l("Name"), "kind": _l("Kind")})

and every way a request is validated (`@endpoint`, the pages' `validate_form`) and every field
message an operation raises (`DomainError.fields`) goes through `validation_fields` or
`labelled`: `{"kind": "Tür: Şunlardan birini seçin: Belediye, Birlik, …"}`. The keys stay the
schema's field names (the contract's `fields`).
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from pydantic import BaseModel, TypeAdapter, ValidationError

#: a field's label: a (lazy) text, or a function of the error's location (nested fields)
Label = Any | Callable[[tuple[Any, ...]], Any]

_LABELS: dict[type[BaseModel], dict[str, Label]] = {}
_FORMATS: dict[type[BaseModel], dict[str, Any]] = {}
#: a rule across fields: values of the fields it reads → {field: message}
Rule = Callable[[dict[str, Any]], dict[str, str]]
#: a model's rules, with the fields each reads
_CHECKS: dict[type[BaseModel], list[tuple[tuple[str, ...], Rule]]] = {}

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


def cross_field_check(
    model: type[BaseModel],
    names: tuple[str, ...],
    check: Callable[[dict[str, Any]], dict[str, str]],
) -> None:
    """Register a rule across fields (the end after the start) to be reported together with the
    other fields' errors. Pydantic runs a model's own validators only when every field is
    valid, so an empty title would hide a wrong end until it is fixed; with this, the rule
    runs on `names` validated alone whenever the model fails and those fields do not."""
    _CHECKS.setdefault(model, []).append((names, check))


def ordered(first: str, then: str, message: Any) -> Rule:
    """A rule for `cross_field_check`: `then` comes after `first` when both are given and
    comparable (both wall-clock times, or both with an offset)."""

    def check(values: dict[str, Any]) -> dict[str, str]:
        start, end = values.get(first), values.get(then)
        if start is None or end is None:
            return {}
        try:
            return {then: str(message)} if end <= start else {}
        except TypeError:  # a wall-clock time and one with an offset: the operation decides
            return {}

    return check


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[info.annotation, *info.metadata])


def _field_values(model: type[BaseModel], data: dict, names: Iterable[str]) -> dict | None:
    """`names` of `data` validated each alone as its field (or its default), None if one fails."""
    values = {}
    for name in names:
        info = model.model_fields[name]
        key = info.alias or name
        if key not in data:
            if info.is_required():
                return None
            values[name] = info.get_default(call_default_factory=True)
            continue
        try:
            values[name] = _field_adapter(model, name).validate_python(data[key])
        except ValidationError:
            return None
    return values


def _cross_field_errors(model: type[BaseModel], data: Any, failed: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for names, check in _CHECKS.get(model, []) if isinstance(data, dict) else []:
        if failed & set(names):
            continue
        values = _field_values(model, data, names)
        if values is not None:
            found.update(check(values))
    return found


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
    """`message` naming its field first, unless it does already ("Ends: …", "Bitiş, …")."""
    if not label:
        return message
    rest = message[len(label) :] if message.startswith(label) else None
    if rest is not None and not rest[:1].isalnum():
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


def validation_fields(
    exc: ValidationError, model: type[BaseModel] | None = None, data: Any = None
) -> dict[str, str]:
    """{dotted location: message naming the field}, the first error of each field, and the
    errors of the model's rules across fields that could be checked (`data`: the input)."""
    fields: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        if loc not in fields:
            fields[loc] = with_label(label_of(model, err["loc"]), message_of(err, model))
    if model is not None:
        failed = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
        extra = _cross_field_errors(model, data, failed)
        for key, message in labelled(model, extra).items():
            fields.setdefault(key, message)
    return fields
