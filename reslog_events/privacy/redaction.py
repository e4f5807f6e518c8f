"""Finding and removing a person's traces in free text and JSON (audit entries, scan answers,
delivery reasons): what erasure does beyond the columns it clears by name.

    needles = needles_of(contact)          # ["ayşe yılmaz", "ayse@example.org", …]
    data, changed = redact({"note": "called Ayşe Yılmaz"}, needles)
    # → {"note": "[erased]"}, True
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from ..directory.models import Contact

REDACTED = "[erased]"

#: keys of audit data that hold a person's words or details rather than the system's
PERSONAL_KEYS = frozenset(
    {
        "full_name",
        "name",
        "email",
        "phone",
        "position",
        "note",
        "dietary_needs",
        "accessibility_needs",
        "travel_details",
        "visa_notes",
        "accommodation_notes",
        "to_address",
        "subject",
        "reason",
    }
)

#: a name shorter than this is not searched for in free text (it would match unrelated words)
MIN_NAME_LENGTH = 5
MIN_PHONE_DIGITS = 6


def needles_of(contact: Contact) -> list[str]:
    """The strings that identify the person in free text, case-folded."""
    needles: list[str] = []
    name = " ".join(contact.full_name.split())
    if len(name) >= MIN_NAME_LENGTH:
        needles.append(name.casefold())
    if contact.email:
        needles.append(contact.email.casefold())
    if contact.phone and len(re.sub(r"\D", "", contact.phone)) >= MIN_PHONE_DIGITS:
        needles.append(contact.phone.strip().casefold())
    return needles


@functools.lru_cache(maxsize=64)
def _pattern(needle: str) -> re.Pattern[str]:
    # whole words only: "Ali Can" is not in "Kemali Canan"
    return re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")


def mentions(text: str | None, needles: list[str]) -> bool:
    """Whether `text` contains one of the needles as whole words, ignoring case and spacing."""
    if not text:
        return False
    folded = " ".join(text.split()).casefold()
    return any(needle in folded and _pattern(needle).search(folded) for needle in needles)


def redact(value: Any, needles: list[str], *, drop_personal_keys: bool = False) -> tuple[Any, bool]:
    """`value` with every string that mentions the person replaced by REDACTED (and, for
    records about the person, every personal key's value too); and whether anything changed."""
    if isinstance(value, str):
        return (REDACTED, True) if mentions(value, needles) else (value, False)
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            if drop_personal_keys and key in PERSONAL_KEYS and item not in (None, "", REDACTED):
                out[key] = REDACTED
                changed = True
                continue
            out[key], item_changed = redact(item, needles, drop_personal_keys=drop_personal_keys)
            changed = changed or item_changed
        return out, changed
    if isinstance(value, list):
        items = [redact(item, needles, drop_personal_keys=drop_personal_keys) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    return value, False


def like_patterns(needles: list[str]) -> list[str]:
    """LIKE patterns that find the needles in a JSON column's text, as stored: plain, and with
    non-ASCII characters escaped the way json.dumps writes them (\\u015f)."""
    patterns: set[str] = set()
    for needle in needles:
        for form in (needle, json.dumps(needle)[1:-1]):
            escaped = form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            patterns.add(f"%{escaped}%")
    return sorted(patterns)
