"""Every number and date a request can carry is range-checked by the API toolkit's shared types:
a schema field typed plain `int`, `date` or `datetime` (which a handler could forget to bound)
fails here, for the API's bodies and queries and for the pages' forms and filters alike."""

from __future__ import annotations

import types
import typing
from datetime import date, datetime

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from reslog_events.core.api import REGISTRY, WITHIN_YEARS, Schema
from reslog_events.core.routing import MAX_ID


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _bounded(meta: tuple) -> bool:
    for item in meta:
        if isinstance(item, FieldInfo) and _bounded(tuple(item.metadata)):
            return True
        if (
            isinstance(item, annotated_types.Le | annotated_types.Lt)
            and (getattr(item, "le", None) or getattr(item, "lt", None)) <= MAX_ID + 1
        ):
            return True
    return False


def _problems(annotation, meta: tuple, where: str, seen: set) -> list[str]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return _problems(base, meta + tuple(extra), where, seen)
    if origin is typing.Literal:
        return []
    if origin is not None or isinstance(annotation, types.UnionType):
        # Optional / unions / list[...] / dict[...]: the bounds sit on the inner type
        return [p for arg in typing.get_args(annotation) for p in _problems(arg, meta, where, seen)]
    if annotation in (date, datetime):
        return (
            [] if WITHIN_YEARS in meta else [f"{where}: {annotation.__name__} without WITHIN_YEARS"]
        )
    if annotation is int:
        return [] if _bounded(meta) else [f"{where}: int without an upper bound ≤ {MAX_ID}"]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_problems(annotation, seen)
    return []


def _model_problems(model: type[BaseModel], seen: set) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    problems = []
    for name, info in model.model_fields.items():
        where = f"{model.__module__}.{model.__qualname__}.{name}"
        problems += _problems(info.annotation, tuple(info.metadata), where, seen)
    return problems


def _models_in(annotation) -> set[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    return {m for arg in typing.get_args(annotation) for m in _models_in(arg)}


def _answers() -> set[type[BaseModel]]:
    """The response models and the models nested in them."""
    found: set[type[BaseModel]] = set()
    todo = [ep.response for ep in REGISTRY if ep.response is not None]
    while todo:
        model = todo.pop()
        if model not in found:
            found.add(model)
            todo += [m for f in model.model_fields.values() for m in _models_in(f.annotation)]
    return found


def _request_models() -> set[type[BaseModel]]:
    """The API's bodies and queries, and every other schema that is not an answer (the pages
    validate their forms and filters with the same models)."""
    responses = _answers()
    requests = {m for ep in REGISTRY for m in (ep.body, ep.query) if m is not None}
    others = {
        model
        for model in _subclasses(Schema)
        if model not in responses and not model.__name__.endswith(("Out", "Item"))
    }
    return requests | others


def test_every_request_number_and_date_is_bounded(app):  # the app imports every feature
    seen: set = set()
    problems = sorted(p for model in _request_models() for p in _model_problems(model, seen))
    assert problems == []
