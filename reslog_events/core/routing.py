"""URL converters: `<int:…>` ids are bounded to the database's integer range.

Werkzeug's own `int` takes any digit string, so `/events/9223372036854775808` reached the
database and failed there (SQLite and psycopg cannot bind it: a 500). An id above MAX_ID
cannot exist, so such a URL now does not match: a 404 like any unknown id.

The bound is in the converter's regular expression, not in `to_python`: a converter that
refuses a value after its rule was chosen makes Werkzeug answer 405 when the same path has
rules for other methods (PATCH /events/<huge> said "405, allowed: GET").
"""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import IntegerConverter

#: ids are PostgreSQL `integer` columns
MAX_ID = 2**31 - 1


def at_most(limit: int) -> str:
    """A regular expression matching the digit strings of 0…limit (leading zeros allowed)."""
    digits = str(limit)
    options = [rf"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            options.append(
                digits[:i] + f"[0-{int(digit) - 1}]" + (rf"[0-9]{{{rest}}}" if rest else "")
            )
    options.append(digits)
    return "(?:" + "|".join(options) + ")"


_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(text: str | None) -> int | None:
    """An id typed into a form or query (`member_id=3`), or None. Not `str.isdigit()` + `int()`:
    isdigit() is true for "²" (int() then fails: a 500) and for 20-digit numbers that the
    database cannot bind (another 500)."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter(IntegerConverter):
    regex = at_most(MAX_ID)


def init_app(app: Flask) -> None:
    """Before any blueprint adds its rules (a rule binds its converter when it is added)."""
    app.url_map.converters["int"] = IdConverter
