"""Countries as people read them: by name in the page's (or email's) language, never as ISO
codes, in every filter, list and text that shows one. The codes stay what is stored and sent."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale
from flask_babel import gettext as _

from .datetimes import current_locale
from .turkish import sort_key


def country_name(code: str | None, locale: str | None = None) -> str:
    """E.g. "Türkiye", "İsveç" (Turkish), "السويد" (Arabic) for SE; "Unknown" for none."""
    if not code:
        return _("Unknown")
    territories = Locale.parse(locale or current_locale()).territories
    return territories.get(code.upper(), code)


def country_choices(
    codes: Iterable[str | None], locale: str | None = None
) -> list[tuple[str, str]]:
    """(code, name) of `codes` for a select, in alphabetical order of the names."""
    named = {code: country_name(code, locale) for code in codes if code}
    return sorted(named.items(), key=lambda item: sort_key(item[1]))
