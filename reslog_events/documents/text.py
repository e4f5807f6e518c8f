"""Minutes as written in the app: plain text with a few marks, rendered safely.

    # A heading          → <h3>
    - an item / * item   → a bulleted list
    a blank line         → a new paragraph (single line breaks are kept)

Everything else is text: it is escaped, so no mark-up an author types (or pastes) reaches the
page or the email as HTML.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_ITEM = re.compile(r"^\s*[-*•]\s+(.*)$")
_HEADING = re.compile(r"^\s*#{1,3}\s+(.*)$")


def _lines(block: list[str]) -> Markup:
    return Markup("<br>\n").join(escape(line) for line in block)


def render_minutes(text: str) -> Markup:
    """The minutes as HTML (headings, paragraphs, lists), every piece of text escaped."""
    html: list[Markup] = []
    items: list[str] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            html.append(Markup("<p>") + _lines(paragraph) + Markup("</p>"))
            paragraph.clear()
        if items:
            inner = Markup("").join(Markup("<li>") + escape(i) + Markup("</li>") for i in items)
            html.append(Markup("<ul>") + inner + Markup("</ul>"))
            items.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            close()
        elif heading := _HEADING.match(line):
            close()
            html.append(Markup("<h3>") + escape(heading.group(1).strip()) + Markup("</h3>"))
        elif item := _ITEM.match(line):
            if paragraph:
                close()
            items.append(item.group(1).strip())
        else:
            if items:
                close()
            paragraph.append(line.rstrip())
    close()
    return Markup("\n").join(html)
