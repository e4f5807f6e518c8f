"""Countries as people read them: by name in the page's (or email's) language, never as ISO
codes, in every filter, list, picker and text that shows one. The codes stay what is stored
and sent (the API takes and returns ISO 3166-1 alpha-2)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

from babel import Locale
from flask_babel import gettext as _

from .datetimes import current_locale
from .turkish import fold, sort_key

#: Türkiye and the programme's partner countries: offered first in every country picker
PROGRAMME_COUNTRIES = ("TR", "SE", "LB")
#: CLDR territories of two letters that are not countries: unknown region, EU, Eurozone, UN,
#: outlying Oceania, pseudo-locales
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
#: Swedish sorts å, ä, ö after z: characters after "z" in byte order stand for them
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})
#: Arabic: hamza and madda forms of alef sort with alef
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (from Babel's CLDR data; XK for Kosovo kept)."""
    codes = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
    return frozenset(codes - _NOT_COUNTRIES)


def country_name(code: str | None, locale: str | None = None) -> str:
    """E.g. "Türkiye", "İsveç" (Turkish), "السويد" (Arabic) for SE; "Unknown" for none."""
    if not code:
        return _("Unknown")
    territories = Locale.parse(locale or current_locale()).territories
    return territories.get(code.upper(), code)


@functools.cache
def _codes_by_name() -> dict[str, str]:
    """Folded country names in the app's languages (and English spellings such as "Turkey"),
    with the codes: {"turkiye": "TR", "turkey": "TR", "isvec": "SE", "السويد": "SE", …}."""
    from ..extensions import LANGUAGES

    found: dict[str, str] = {"turkey": "TR"}
    for language in ("en", *LANGUAGES):
        territories = Locale.parse(language).territories
        for code in country_codes():
            if code in territories:
                found.setdefault(fold(territories[code]), code)
    return found


def country_code(text: str | None) -> str | None:
    """The ISO code `text` gives or names in any of the app's languages, or None: "tr",
    "Türkiye", "Turkey", "İsveç", "Sverige", "لبنان" (case and Turkish letters ignored)."""
    text = (text or "").strip()
    if len(text) == 2 and text.upper() in country_codes():
        return text.upper()
    return _codes_by_name().get(fold(text)) if text else None


def name_key(name: str, locale: str) -> str:
    """A sort key for a name in `locale`'s alphabetical order: the Turkish alphabet in Turkish
    ("İsveç" < "Lübnan" < "Türkiye"), å ä ö after z in Swedish, accents ignored in English."""
    language = locale.split("_")[0]
    if language == "tr":
        return sort_key(name)
    if language == "sv":
        lowered = name.casefold().translate(_SWEDISH)
        decomposed = unicodedata.normalize("NFKD", lowered)
        return "".join(c for c in decomposed if not unicodedata.combining(c))
    if language == "ar":
        return name.translate(_ARABIC)
    return fold(name)


def country_choices(
    codes: Iterable[str | None], locale: str | None = None
) -> list[tuple[str, str]]:
    """(code, name) of `codes` for a select, in alphabetical order of the names."""
    locale = locale or current_locale()
    named = {code: country_name(code, locale) for code in codes if code}
    return sorted(named.items(), key=lambda item: name_key(item[1], locale))


def country_options(locale: str | None = None) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Every country for a picker: ((programme countries…), (all the others, by name)), named
    in `locale` (the page's language by default)."""
    return _country_options(str(locale or current_locale()))


@functools.cache
def _country_options(locale: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    first = tuple((code, country_name(code, locale)) for code in PROGRAMME_COUNTRIES)
    others = country_choices(country_codes() - set(PROGRAMME_COUNTRIES), locale)
    return first, tuple(others)
