"""Two fast paths of the pages' language work (bench/pages.py; docs/benchmarks.md "Fast paths"):
the templates' gettext and whole numbers, each the same text Babel gives, for less work.

- Flask-Babel's template `_()` looks up the request's Babel context three times per string
  (domain, locale, translations): a tenth of the RSVP page's CPU. Here it is looked up once per
  locale and request, and looked up again whenever the locale object changes (`refresh()`,
  `force_locale`), so a page that switches language mid-request still gets the right one.
- `numberformat` through Babel parses the locale's pattern for each number: the dashboard
  formats hundreds. A non-negative whole number is grouped by threes with the locale's group
  symbol where that is what Babel gives for this locale (checked once per locale).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal, get_group_symbol
from flask import Flask, g
from flask_babel import format_number, get_locale, get_translations


def _translations() -> Any:
    """The current locale's translations, found once per locale in a request."""
    try:
        context = g.get("_flask_babel")
    except RuntimeError:  # no app context: Flask-Babel gives its null translations
        return get_translations()
    locale = getattr(context, "babel_locale", None)
    if locale is None:  # not chosen yet: Flask-Babel chooses it (and then it is cached)
        return get_translations()
    domain = getattr(context, "babel_domain", None)
    cached = getattr(context, "reslog_translations", None)
    if cached is not None and cached[0] is locale and cached[1] is domain:
        return cached[2]
    translations = get_translations()
    context.reslog_translations = (locale, getattr(context, "babel_domain", None), translations)
    return translations


@lru_cache(maxsize=32)
def _group_symbol(locale: str) -> str | None:
    """The group symbol when Babel writes whole numbers of `locale` as Python's `{:,}` does with
    that symbol (grouped by threes, from four digits on), else None (then Babel formats)."""
    symbol = get_group_symbol(locale)
    for sample in (0, 7, 999, 1000, 12345, 123456, 1234567, 1234567890):
        if format_decimal(sample, locale=locale) != f"{sample:,}".replace(",", symbol):
            return None
    return symbol


def _request_group_symbol() -> str | None:
    """`_group_symbol` of the request's locale, kept on Flask-Babel's context beside the
    locale it is for (naming a locale costs more than grouping the digits: the dashboard
    writes a thousand numbers)."""
    try:
        context = g.get("_flask_babel")
    except RuntimeError:  # no app context
        return None
    locale = getattr(context, "babel_locale", None)
    if locale is None:
        locale = get_locale()
        if locale is None:
            return None
    cached = getattr(context, "reslog_group_symbol", None)
    if cached is not None and cached[0] is locale:
        return cached[1]
    symbol = _group_symbol(str(locale))
    if context is not None:
        context.reslog_group_symbol = (locale, symbol)
    return symbol


def number_writer() -> Callable[[Any], str]:
    """`number` for the request's current language, its group symbol found once: for loops
    that write many numbers (the dashboard's table and charts)."""
    symbol = _request_group_symbol()
    if symbol is None:
        return number

    def write(value: Any) -> str:
        if type(value) is int and value >= 0:
            return f"{value:,}".replace(",", symbol) if value >= 1000 else str(value)
        return number(value)

    return write


def number(value: Any) -> str:
    """`numberformat`: as Flask-Babel's `format_number`."""
    if type(value) is int and value >= 0:
        symbol = _request_group_symbol()
        if symbol is not None:
            return f"{value:,}".replace(",", symbol) if value >= 1000 else str(value)
    return format_number(value)


def init_app(app: Flask) -> None:
    """After Flask-Babel's own set-up (extensions.init_app), which these replace."""
    app.jinja_env.filters["numberformat"] = number
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
