"""Enums whose members carry a translated label for pages, emails and exports."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

_LABELS: dict[Any, Any] = {}


class LabelledEnum(StrEnum):
    """A `StrEnum` whose `label` is the translated title registered with `labels()`."""

    @property
    def label(self) -> str:
        label = _LABELS.get((type(self), self.value))
        return str(label) if label is not None else self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def labels(mapping: dict[Any, Any]) -> None:
    """Register lazy-translated labels, e.g. `labels({Role.admin: _l("Administrator")})`.

    Keyed by (enum class, value): members of different enums share values ("international" is an
    organisation kind and an event level) and compare equal as strings — which is also why one
    call takes the members of one enum only: in a dict literal `{Gender.other: …,
    RoleCategory.other: …}` the second key *is* the first one, and its label would be lost."""
    classes = {type(member) for member in mapping}
    if len(classes) > 1:
        names = ", ".join(sorted(cls.__name__ for cls in classes))
        raise TypeError(f"labels() takes one enum per call, got {names}")
    for member, label in mapping.items():
        _LABELS[(type(member), member.value)] = label
