"""Right-to-left text with left-to-right parts in it (and the other way round).

In Arabic text a Latin name, a time zone's name or an address keeps its own order only when it
is isolated: `<bdi>` or `dir="auto"` in pages and HTML emails, and in plain text (emails,
strings built for several uses) the Unicode isolates FSI … PDI around it, which browsers honour
too. In a left-to-right language nothing is added.
"""

from __future__ import annotations

from flask import has_app_context
from flask_babel import get_locale

from ..extensions import RTL_LANGUAGES

#: FIRST STRONG ISOLATE, POP DIRECTIONAL ISOLATE; RIGHT-TO-LEFT ISOLATE
FSI, PDI, RLI = "\u2068", "\u2069", "\u2067"


def is_rtl(language: str | None = None) -> bool:
    if language is None:
        language = str(get_locale() or "") if has_app_context() else ""
    return language.split("_")[0] in RTL_LANGUAGES


def isolates(language: str | None = None) -> dict[str, str]:
    """`fsi` and `pdi` for a plain-text template: the isolates, or nothing."""
    if is_rtl(language):
        return {"fsi": FSI, "pdi": PDI}
    return {"fsi": "", "pdi": ""}


def isolate(text: str, language: str | None = None) -> str:
    """`text` isolated when the language (default: the current locale) is right to left."""
    return f"{FSI}{text}{PDI}" if text and is_rtl(language) else text
