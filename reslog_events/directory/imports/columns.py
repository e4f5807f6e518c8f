"""Which column is which, and what a cell means: Turkish and English headers and values,
matched case- and accent-insensitively ("Adı Soyadı", "E-posta", "Cinsiyet": "Kadın")."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ...core.turkish import fold
from ...extensions import LANGUAGES
from ..models import Gender, Language, RoleCategory

#: the columns of the contract, in the order shown in previews
FIELDS = (
    "full_name",
    "email",
    "organisation",
    "position",
    "role_category",
    "gender",
    "language",
    "phone",
)
REQUIRED = ("full_name", "email")
#: a field's name for people where the file has no column of its own for it (a missing column):
#: the contact form's label
FIELD_LABELS = {
    "full_name": _l("Full name"),
    "email": _l("Email"),
    "organisation": _l("Organisation"),
    "position": _l("Position"),
    "role_category": _l("Role"),
    "gender": _l("Gender"),
    "language": _l("Language"),
    "phone": _l("Phone"),
}

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "full name",
        "fullname",
        "name",
        "contact",
        "contact name",
        "participant",
        "ad soyad",
        "adsoyad",
        "adi soyadi",
        "ad soyadi",
        "adi soyad",
        "ad ve soyad",
        "isim soyisim",
        "isim soyad",
        "katilimci",
        "katilimci adi",
        "kisi",
    ),
    "first_name": ("first name", "given name", "ad", "adi", "isim"),
    "last_name": ("last name", "surname", "family name", "soyad", "soyadi", "soyisim", "soyisimi"),
    "email": (
        "email",
        "e mail",
        "email address",
        "e mail address",
        "mail",
        "e posta",
        "eposta",
        "e posta adresi",
        "eposta adresi",
        "mail adresi",
        "elektronik posta",
    ),
    "organisation": (
        "organisation",
        "organization",
        "organisation code",
        "organization code",
        "org",
        "institution",
        "kurum",
        "kurum adi",
        "kurum kodu",
        "kurulus",
        "kurum kurulus",
        "kurumu",
        "belediye",
        "calistigi kurum",
    ),
    "position": (
        "position",
        "title",
        "job title",
        "job",
        "gorev",
        "gorevi",
        "unvan",
        "unvani",
        "gorev unvan",
        "gorevi unvani",
        "pozisyon",
    ),
    "role_category": (
        "role category",
        "role",
        "category",
        "rol",
        "rolu",
        "kategori",
        "rol kategorisi",
    ),
    "gender": ("gender", "sex", "cinsiyet", "cinsiyeti"),
    "language": ("language", "lang", "preferred language", "dil", "tercih edilen dil", "dili"),
    "phone": (
        "phone",
        "telephone",
        "phone number",
        "mobile",
        "tel",
        "telefon",
        "telefon no",
        "telefon numarasi",
        "cep",
        "cep telefonu",
        "gsm",
    ),
}
_HEADERS = {alias: name for name, aliases in _HEADER_ALIASES.items() for alias in aliases}


def _normalise(text: str) -> str:
    text = re.sub(r"\(.*?\)|\*", " ", text)  # "E-posta (zorunlu)", "Ad Soyad *"
    return " ".join(re.sub(r"[^0-9a-z@]+", " ", fold(text)).split())


def header_field(header: str) -> str | None:
    """The field a header names, or None ("Adı Soyadı" → "full_name", "E-posta" → "email")."""
    key = _normalise(header)
    return _HEADERS.get(key) or _HEADERS.get(key.replace(" ", ""))


@dataclass
class Columns:
    """Where each field is in the row; `ignored` headers were not recognised."""

    index: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def column_of(self, name: str) -> str:
        """The column of a field as the file names it ("Kurum", "Ad Soyad"); for a field the
        file has no column for, its label in the page's language."""
        header = self.headers.get(name)
        if header is None and name == "full_name":
            header = self.headers.get("first_name")
        if header:
            return header
        label = FIELD_LABELS.get(name)
        return str(label) if label is not None else ""

    @property
    def missing(self) -> list[str]:
        have = set(self.index)
        if "first_name" in have:
            have.add("full_name")
        return [name for name in REQUIRED if name not in have]


def match_columns(header: list[str]) -> Columns:
    columns = Columns()
    for position, text in enumerate(header):
        name = header_field(text) if text else None
        if name is None or name in columns.index:
            if text:
                columns.ignored.append(text)
            continue
        columns.index[name] = position
        columns.headers[name] = text
    return columns


def cell(cells: list[str], columns: Columns, name: str) -> str:
    position = columns.index.get(name)
    if position is None or position >= len(cells):
        return ""
    return cells[position]


def full_name(cells: list[str], columns: Columns) -> str:
    value = cell(cells, columns, "full_name")
    if value or "first_name" not in columns.index:
        return value
    return " ".join(
        p for p in (cell(cells, columns, "first_name"), cell(cells, columns, "last_name")) if p
    )


_GENDERS: dict[str, Gender] = {
    **{
        k: Gender.female
        for k in ("female", "f", "woman", "w", "kadin", "k", "bayan", "kvinna", "انثى", "أنثى")
    },
    **{k: Gender.male for k in ("male", "m", "man", "erkek", "e", "bay", "ذكر")},
    **{k: Gender.other for k in ("other", "diger", "annan")},
    **{
        k: Gender.undisclosed
        for k in (
            "undisclosed",
            "prefer not to say",
            "unknown",
            "belirtilmemis",
            "belirtmek istemiyorum",
            "bilinmiyor",
            "-",
        )
    },
}
_LANGUAGES: dict[str, Language] = {
    **{k: Language.tr for k in ("tr", "turkish", "turkce", "tur", "türkçe", "التركية")},
    **{k: Language.en for k in ("en", "english", "ingilizce", "eng", "engelska")},
    **{k: Language.ar for k in ("ar", "arabic", "arapca", "ara", "arabiska", "العربية", "عربي")},
    **{k: Language.sv for k in ("sv", "swedish", "isvecce", "svenska", "swe", "se")},
}
_ROLES: dict[str, RoleCategory] = {
    **{
        k: RoleCategory.elected_official
        for k in (
            "elected official",
            "elected",
            "mayor",
            "councillor",
            "secilmis",
            "secilmis yetkili",
            "secilmis temsilci",
            "belediye baskani",
            "baskan",
            "meclis uyesi",
        )
    },
    **{
        k: RoleCategory.municipal_staff
        for k in (
            "municipal staff",
            "staff",
            "belediye personeli",
            "belediye calisani",
            "personel",
            "calisan",
            "memur",
            "uzman",
        )
    },
    **{
        k: RoleCategory.civil_society
        for k in ("civil society", "ngo", "sivil toplum", "stk", "dernek", "vakif")
    },
    **{
        k: RoleCategory.refugee_community
        for k in (
            "refugee community",
            "refugee",
            "migrant",
            "multeci",
            "multeci toplulugu",
            "gocmen",
            "gocmen toplulugu",
            "siginmaci",
        )
    },
    **{k: RoleCategory.academic for k in ("academic", "akademisyen", "akademik", "universite")},
    **{
        k: RoleCategory.international_partner
        for k in (
            "international partner",
            "international",
            "partner",
            "uluslararasi",
            "uluslararasi ortak",
            "uluslararasi partner",
        )
    },
    **{k: RoleCategory.other for k in ("other", "diger")},
}


@functools.cache
def _labels(enum: type) -> dict[str, object]:
    """The enum's labels in every language of the app, folded: what the error messages offer
    ("Belediye personeli", "موظفو البلديات") is accepted as well."""
    found = {}
    for language in LANGUAGES:
        with force_locale(language):
            found.update({" ".join(fold(str(m.label)).split()): m for m in enum})
    return found


def _lookup(table: dict, enum: type, value: str):
    key = " ".join(fold(value).replace("_", " ").split())
    if key.replace(" ", "_") in enum.__members__:
        return enum(key.replace(" ", "_"))
    return table.get(key) or table.get(value.strip()) or _labels(enum).get(key)


def gender(value: str) -> Gender | None:
    return _lookup(_GENDERS, Gender, value)


def language(value: str) -> Language | None:
    return _lookup(_LANGUAGES, Language, value)


def role_category(value: str) -> RoleCategory | None:
    return _lookup(_ROLES, RoleCategory, value)
