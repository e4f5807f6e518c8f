"""Provinces as ISO 3166-2 codes (TR-01 Adana … TR-81 Düzce, SE-AB, LB-BA), from `pycountry`.

The directory stores the code; people type and read names. A name is recognised in any case,
with or without Turkish letters or other accents, in the package's own spelling or in one of the
app's languages ("adana", "İSTANBUL", "Istanbul", "sanliurfa", "Skåne" for Skåne län):

    resolve("sanliurfa", "TR")   # "TR-63"
    province_name("TR-34", "sv") # "Istanbul"
    province_choices("SE", "tr") # [("SE-K", "Blekinge län"), …]

Names are shown in the page's language from pycountry's `iso3166-2` catalogues where one exists
(Turkish and Swedish do; Arabic does not, so Arabic pages show the package's own name).
"""

from __future__ import annotations

import functools
import gettext
import re
from collections import defaultdict
from dataclasses import dataclass

import pycountry

from ..core.turkish import fold, sort_key

#: catalogues whose names are accepted as input besides the package's own spelling
INPUT_LANGUAGES = ("tr", "sv", "en")
#: words that say what kind of subdivision it is; "İstanbul ili" and "Skåne län" find the province
_GENERIC_WORDS = {"province", "ili", "il", "county", "lan", "governorate", "muhafazasi", "region"}
_BRACKETS = re.compile(r"\s*\[[^\]]*\]\s*$")
_CODE = re.compile(r"^([A-Za-z]{2})\s*-\s*([A-Za-z0-9]{1,3})$")


@dataclass(frozen=True)
class Province:
    code: str
    country: str
    #: the package's own name, without its "[SE-01]" old-code suffix
    name: str


def _clean(name: str) -> str:
    return _BRACKETS.sub("", name).strip()


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def _short_keys(key: str) -> set[str]:
    """The key without a trailing generic word, and Swedish genitive -s ("stockholms lan" →
    "stockholms", "stockholm")."""
    words = key.split()
    if len(words) < 2 or words[-1] not in _GENERIC_WORDS:
        return set()
    short = " ".join(words[:-1])
    out = {short}
    if words[-1] == "lan" and short.endswith("s"):
        out.add(short[:-1])
    return out


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@functools.cache
def provinces_of(country: str) -> tuple[Province, ...]:
    """Every subdivision of `country` (ISO 3166-1 alpha-2), by code."""
    found = pycountry.subdivisions.get(country_code=country.upper()) or []
    return tuple(
        sorted(
            (Province(s.code, s.country_code, _clean(s.name)) for s in found),
            key=lambda p: p.code,
        )
    )


@functools.cache
def _by_code() -> dict[str, Province]:
    return {
        s.code: Province(s.code, s.country_code, _clean(s.name)) for s in pycountry.subdivisions
    }


def province(code: str | None) -> Province | None:
    return _by_code().get(code.upper()) if code else None


@functools.cache
def _index(country: str) -> dict[str, str]:
    """{name key: code} of `country`; a key two provinces share is left out (ambiguous)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for p in provinces_of(country):
        names = {p.name} | {_clean(_catalogue(lang).gettext(p.name)) for lang in INPUT_LANGUAGES}
        for name in names:
            key = _key(name)
            for k in {key} | _short_keys(key):
                if k:
                    seen[k].add(p.code)
    return {k: next(iter(codes)) for k, codes in seen.items() if len(codes) == 1}


def resolve(value: str | None, country: str) -> str | None:
    """The code of the province of `country` that `value` names (its code, the code's part
    after the dash, or its name in any spelling); None if there is none."""
    text = (value or "").strip()
    if not text or not country:
        return None
    country = country.upper()
    match = _CODE.match(text)
    if match and match.group(1).upper() == country:
        code = f"{country}-{match.group(2).upper()}"
        return code if province(code) else None
    if province(f"{country}-{text.upper()}") is not None:
        return f"{country}-{text.upper()}"
    if country == "TR" and text.isdigit() and 1 <= int(text) <= 81:  # licence plate numbers
        return f"TR-{int(text):02d}"
    index = _index(country)
    key = _key(text)
    if key in index:
        return index[key]
    for short in sorted(_short_keys(key)):
        if short in index:
            return index[short]
    return None


def resolve_any(value: str | None, countries: tuple[str, ...] = ()) -> list[str]:
    """Codes that `value` may name, for filters that do not know the country: in `countries`
    (the directory's), else the Turkish, Swedish and Lebanese provinces."""
    text = (value or "").strip()
    code = province(text)
    if code is not None:
        return [code.code]
    out = []
    for country in countries or ("TR", "SE", "LB"):
        found = resolve(text, country)
        if found is not None:
            out.append(found)
    return out


def _language(locale: str | None) -> str:
    if locale is None:
        from flask_babel import get_locale

        locale = str(get_locale() or "en")
    return locale.split("_")[0].split("-")[0]


def province_name(code: str | None, locale: str | None = None) -> str:
    """The province's name in `locale` (default: the page's), or the code if it is unknown."""
    found = province(code)
    if found is None:
        return code or ""
    return _clean(_catalogue(_language(locale)).gettext(found.name)) or found.name


def province_choices(country: str | None = None, locale: str | None = None) -> list[tuple]:
    """(code, name in `locale`) of a country's provinces, in Turkish alphabetical order of the
    name (without a country: Türkiye's, Sweden's and Lebanon's)."""
    language = _language(locale)
    countries = (country,) if country else ("TR", "SE", "LB")
    out = []
    for c in countries:
        names = [(p.code, province_name(p.code, language)) for p in provinces_of(c)]
        out.extend(sorted(names, key=lambda pair: sort_key(pair[1])))
    return out


def province_groups(*countries: str | None, locale: str | None = None) -> list[tuple]:
    """(country name, [(code, province name)]) for a grouped picker: Türkiye, Sweden and Lebanon,
    and any other country given (an organisation's own)."""
    from babel import Locale

    language = _language(locale)
    wanted = list(dict.fromkeys(["TR", "SE", "LB", *(c.strip().upper() for c in countries if c)]))
    territories = Locale.parse(language).territories
    return [
        (territories.get(c, c), province_choices(c, language)) for c in wanted if provinces_of(c)
    ]
