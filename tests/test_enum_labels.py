"""Every member of a labelled enum shows its own translated label (not the fallback made from
its value) — members of different enums with the same value ("other") must not share one."""

from __future__ import annotations

import pytest

from reslog_events.core import enums
from reslog_events.core.enums import LabelledEnum, labels


def _labelled_enums() -> list[type[LabelledEnum]]:
    found, todo = [], list(LabelledEnum.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_member_of_a_labelled_enum_has_its_label(app):
    registered = {cls for cls, _value in enums._LABELS}
    missing = [
        f"{cls.__name__}.{member.name}"
        for cls in _labelled_enums()
        if cls in registered
        for member in cls
        if (cls, member.value) not in enums._LABELS
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "expected"), [("tr", "Diğer"), ("sv", "Annat"), ("en", "Other")]
)
def test_gender_and_role_other_are_translated(app, language, expected):
    from reslog_events.directory.models import Gender, OrganisationKind, RoleCategory

    with app.test_request_context(headers={"Accept-Language": language}):
        assert {
            str(m.label) for m in (Gender.other, RoleCategory.other, OrganisationKind.other)
        } == {expected}


def test_one_call_takes_one_enum():
    from reslog_events.directory.models import Gender, RoleCategory

    with pytest.raises(TypeError, match="one enum per call"):
        labels({Gender.female: "x", RoleCategory.academic: "y"})
