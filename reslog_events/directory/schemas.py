"""Request and response models of the directory, shared by the JSON API, the pages and the import.

Strict where it matters: unknown fields are rejected (`Schema`), ids are integers (not booleans or
fractions), every text is bounded, enums take only their values, countries are ISO 3166 alpha-2
upper-cased and emails are validated and lower-cased.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import (
    AfterValidator,
    AliasChoices,
    BeforeValidator,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ..core.api import Id, PageQuery, Schema
from ..core.countries import country_codes
from ..core.turkish import email_lower
from ..core.validation import field_formats, field_labels
from .models import Gender, Language, OrganisationKind, RoleCategory

_PHONE = re.compile(r"^\+?[0-9 ()./-]{3,40}$")
#: letters (Turkish ones too: ÇBB, İBB), digits and _ . - after the first character
_CODE = re.compile(r"^[A-Z0-9ÇĞİÖŞÜ][A-Z0-9ÇĞİÖŞÜ_.-]{0,19}$")


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _country(value: str) -> str:
    if value not in country_codes():
        raise ValueError(_("Two-letter ISO code: TR, SE, LB…"))
    return value


def _email_before(value: Any) -> Any:
    # before EmailStr: its IDNA step would turn a domain's "İ" into i + combining dot
    return email_lower(value) if isinstance(value, str) else value


def _phone(value: str) -> str:
    if not _PHONE.match(value):
        raise ValueError(_("Use digits, spaces and + ( ) - . only."))
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Country = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(pattern=r"^[A-Z]{2}$", min_length=2, max_length=2),
    AfterValidator(_country),
]
Code = Annotated[
    str, BeforeValidator(_upper), StringConstraints(pattern=_CODE.pattern, max_length=20)
]
Email = Annotated[EmailStr, BeforeValidator(_email_before), StringConstraints(max_length=254)]
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_phone)]
Search = Annotated[str, StringConstraints(max_length=100)]


def _not_null(value: Any) -> Any:
    # PATCH bodies: a field may be left out, but not set to null when the column needs a value.
    if value is None:
        raise ValueError(_("This field is required."))
    return value


# --- organisations ---------------------------------------------------------------------------


#: a province's ISO 3166-2 code or its name in any spelling ("TR-01", "adana", "İSTANBUL")
Province = Annotated[
    ShortText, Field(description="ISO 3166-2 code (TR-01) or the province's name, any spelling")
]


class OrganisationIn(Schema):
    """A new organisation. `unions` lists the codes of the unions it is a member of."""

    name: Name
    kind: OrganisationKind
    code: Code | None = None
    country: Country = "TR"
    province: Province | None = None
    district: ShortText | None = None
    unions: list[Code] = Field(default_factory=list, max_length=20)

    @field_validator("unions")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class OrganisationPatch(Schema):
    """Changes to an organisation: only the fields given are changed."""

    name: Name | None = None
    kind: OrganisationKind | None = None
    code: Code | None = None
    country: Country | None = None
    province: Province | None = None
    district: ShortText | None = None
    unions: list[Code] | None = Field(None, max_length=20)

    @field_validator("name", "kind", "country", "unions")
    @classmethod
    def _required(cls, value: Any) -> Any:
        return _not_null(value)

    @field_validator("unions")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class OrganisationOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    code: str | None
    country: str
    #: ISO 3166-2 code
    province: str | None
    #: the province's name in the request's language
    province_name: str | None = None
    #: an old free-text province that matched none: to be fixed by an organiser
    province_unmatched: str | None = None
    district: str | None
    #: codes of the unions it is a member of
    unions: list[str] = Field(validation_alias=AliasChoices("union_codes", "unions"))
    #: false for an organisation recorded at the door, until an organiser confirms or merges it
    confirmed: bool = True


class MergeIn(Schema):
    """Merge an unconfirmed organisation into the confirmed one it really is."""

    #: id of the organisation to merge into
    into: Id


class OrganisationFilters(Schema):
    """Filters of the organisations list (API query and page alike). Empty values are ignored."""

    kind: OrganisationKind | None = None
    country: Country | None = None
    #: code of a union: its member organisations
    union: Code | None = None
    #: a province's code or name
    province: ShortText | None = None
    #: only those with an old free-text province that matched none
    province_to_fix: bool = False
    #: only those recorded at the door and not yet confirmed
    unconfirmed: bool = False
    #: Turkish-aware search in the name and the code ("sisli" finds Şişli)
    q: Search | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        return _drop_blanks(data)


class OrganisationQuery(OrganisationFilters, PageQuery):
    pass


# --- contacts --------------------------------------------------------------------------------


class ContactIn(Schema):
    full_name: Name
    email: Email
    organisation_id: Id | None = None
    position: Text200 | None = None
    role_category: RoleCategory = RoleCategory.other
    gender: Gender = Gender.undisclosed
    language: Language = Language.tr
    phone: Phone | None = None


class ContactPatch(Schema):
    """Changes to a contact: only the fields given are changed."""

    full_name: Name | None = None
    email: Email | None = None
    organisation_id: Id | None = None
    position: Text200 | None = None
    role_category: RoleCategory | None = None
    gender: Gender | None = None
    language: Language | None = None
    phone: Phone | None = None

    @field_validator("full_name", "email", "role_category", "gender", "language")
    @classmethod
    def _required(cls, value: Any) -> Any:
        return _not_null(value)


class ContactOut(Schema):
    id: int
    full_name: str
    email: str | None
    organisation_id: int | None
    organisation_name: str | None = None
    position: str | None
    role_category: RoleCategory
    gender: Gender
    language: Language
    phone: str | None
    #: a hard bounce was reported for this address (cleared when the address changes)
    email_bounced: bool = False
    email_bounce_reason: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_contact(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return data
        organisation = getattr(data, "organisation", None)
        return {
            "id": data.id,
            "full_name": data.full_name,
            "email": data.email,
            "organisation_id": data.organisation_id,
            "organisation_name": organisation.name if organisation is not None else None,
            "position": data.position,
            "role_category": data.role_category,
            "gender": data.gender,
            "language": data.language,
            "phone": data.phone,
            "email_bounced": data.email_bounced_at is not None,
            "email_bounce_reason": data.email_bounce_reason,
        }


class ContactFilters(Schema):
    """Who to list (or invite) from the directory. Empty values are ignored; all filters AND.

    Reused by the invitations ("invite from the directory with the same filters"):
    `contacts_query(ContactFilters(union="MBB", language="ar"))`.
    """

    organisation_id: Id | None = None
    #: code of a union: the contacts of its member organisations and of the union itself
    union: Code | None = None
    #: province of the contact's organisation: its code, or its name in any spelling
    province: ShortText | None = None
    #: kind of the contact's organisation
    kind: OrganisationKind | None = None
    #: country of the contact's organisation
    country: Country | None = None
    role_category: RoleCategory | None = None
    language: Language | None = None
    gender: Gender | None = None
    #: Turkish-aware search in the name, and in the email address
    q: Search | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        return _drop_blanks(data)


class ContactQuery(ContactFilters, PageQuery):
    pass


def _drop_blanks(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
    return data


# --- import ----------------------------------------------------------------------------------


class ImportQuery(Schema):
    #: import the valid rows even when other rows have errors
    partial: bool = False


class ImportRowError(Schema):
    row: int
    field: str
    message: str


class ImportResult(Schema):
    created: int
    updated: int
    #: rows of contacts already in the directory with nothing new
    unchanged: int = 0
    errors: list[ImportRowError]


# --- how the forms name the fields -------------------------------------------------------------

field_labels(
    OrganisationIn,
    OrganisationPatch,
    OrganisationFilters,
    labels={
        "name": _l("Name"),
        "kind": _l("Kind"),
        "code": _l("Code"),
        "country": _l("Country"),
        "province": _l("Province"),
        "district": _l("District"),
        "unions": _l("Member of the unions"),
        "union": _l("Union"),
    },
)
field_labels(
    ContactIn,
    ContactPatch,
    ContactFilters,
    labels={
        "full_name": _l("Full name"),
        "email": _l("Email"),
        "organisation_id": _l("Organisation"),
        "position": _l("Position"),
        "role_category": _l("Role"),
        "gender": _l("Gender"),
        "language": _l("Language"),
        "phone": _l("Phone"),
        "union": _l("Union"),
        "province": _l("Province"),
        "kind": _l("Kind"),
        "country": _l("Country"),
    },
)
field_formats(
    OrganisationIn,
    OrganisationPatch,
    OrganisationFilters,
    ContactFilters,
    formats={
        "code": _l("Short unique code, e.g. MBB or ÇBB-2. Letters and digits."),
        "union": _l("Short unique code, e.g. MBB or ÇBB-2. Letters and digits."),
        "unions": _l("Short unique code, e.g. MBB or ÇBB-2. Letters and digits."),
        "country": _l("Two-letter ISO code: TR, SE, LB…"),
    },
)
