"""Hostile text: `<script>…` and `"><img onerror…>` after a label, and the check that a page or
an email shows it as text (escaped), never as live markup."""

from __future__ import annotations

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT}{IMG}"
#: what must never appear in HTML: the markup, live
RAW = ("<script>alert(1)", "<img src=x")
#: how the text shows when it is escaped (Jinja/MarkupSafe)
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def hostile(label: str) -> str:
    return f"{label} {HOSTILE}"


def assert_escaped(html: str, where: str, *, must_show: bool = True) -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: unescaped {raw!r}"
    if must_show:
        assert any(text in html for text in ESCAPED), f"{where}: the hostile text is not shown"
