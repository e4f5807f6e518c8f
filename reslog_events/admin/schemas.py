"""Request and response models of administration: the API's and the pages' forms alike."""

from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from ..auth.models import Role
from ..core.api import Id, PageQuery, Schema
from ..core.validation import field_labels
from ..directory.schemas import Email
from ..extensions import LANGUAGES

#: a password people set: long rather than complicated (NIST SP 800-63B)
PASSWORD_MIN = 10
PASSWORD_MAX = 200


class UserOut(Schema):
    id: int
    email: str
    name: str
    role: Role
    #: the code of the union the user works within; None: programme-wide
    union: str | None
    active: bool


class UserQuery(PageQuery):
    role: Role | None = None
    active: bool | None = None
    #: a union's code (`MBB`); `none` for programme-wide users
    union: str | None = Field(None, max_length=20)


class RoleIn(Schema):
    role: Role
    #: the union (organisation id), or None for programme-wide
    union_id: Id | None = None


class InviteIn(RoleIn):
    email: Email
    name: str = Field("", max_length=200)
    language: Literal[LANGUAGES] = "tr"  # type: ignore[valid-type]


class NewPasswordIn(Schema):
    # blanks are part of a password: not trimmed
    model_config = ConfigDict(str_strip_whitespace=False)

    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)
    repeat_password: str = Field(max_length=PASSWORD_MAX)

    @field_validator("repeat_password")
    @classmethod
    def _same_twice(cls, value: str, info: ValidationInfo) -> str:
        if "new_password" in info.data and value != info.data["new_password"]:
            raise ValueError(_("The two passwords differ."))
        return value


class PasswordChangeIn(NewPasswordIn):
    current_password: str = Field(min_length=1, max_length=PASSWORD_MAX)


#: the user and password forms' labels, naming the fields in messages
field_labels(
    RoleIn,
    InviteIn,
    NewPasswordIn,
    labels={
        "role": _l("Role"),
        "union_id": _l("Union"),
        "email": _l("Email"),
        "name": _l("Name"),
        "language": _l("Language of the email"),
        "current_password": _l("Current password"),
        "new_password": _l("New password"),
        "repeat_password": _l("New password again"),
    },
)
