"""Languages by name in the reader's language ("Arapça" on a Turkish page, "Arabiska" on a
Swedish one), never by code: the answers export, the interpretation choices, the invitation
check page. The names are CLDR's (Babel), like `country_name`'s."""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale

from .datetimes import current_locale


def language_names(locale: str | None = None) -> Mapping[str, str]:
    """Every language's name in `locale` (the page's by default), keyed by its code."""
    return Locale.parse(locale or current_locale()).languages


def language_name(code: str | None, locale: str | None = None) -> str:
    """E.g. "Arapça" for "ar" on a Turkish page; an unknown code as it is, None as ""."""
    if not code:
        return ""
    return language_names(locale).get(code, code)
