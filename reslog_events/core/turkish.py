"""Turkish-aware case folding, search keys and sort keys.

Python's `str.lower()` turns "İ" into "i̇" (i + combining dot) and "I" into "i", both wrong in
Turkish. Search keys fold to plain ASCII so that "sisli", "ŞİŞLİ" and "Şişli" all find Şişli;
sort keys follow the Turkish alphabet (… C Ç D … G Ğ H I İ J … O Ö P … S Ş T U Ü V …) and are made
of `[0-9a-z]` only, so that every database collation orders them the same way.
"""

from __future__ import annotations

import unicodedata

_UPPER_TO_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_FOLD = str.maketrans(
    {"ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u", "â": "a", "î": "i", "û": "u"}
)
ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyzqwx"


def tr_lower(text: str) -> str:
    """Lower-case by Turkish rules: I → ı, İ → i."""
    return unicodedata.normalize("NFC", text).translate(_UPPER_TO_LOWER).lower()


def email_lower(address: str) -> str:
    """An email address as kept and compared: trimmed, lower-case, with "İ" read as "i".

    A Turkish keyboard with caps lock on types "İ" for i ("AYSE.CELİK@SİSLİ.EXAMPLE"), and
    `str.lower()` makes that i + combining dot: an address nobody has, and a second contact
    beside the real one. "I" stays "i": an address is not Turkish text.
    """
    return unicodedata.normalize("NFC", address).strip().replace("İ", "i").lower()


def locale_lower(text: str, locale: str | None = None) -> str:
    """Lower-case for running text in `locale` (Turkish rules for "tr", e.g. "İl" → "il")."""
    if locale is None:
        from flask_babel import get_locale

        locale = str(get_locale() or "")
    return tr_lower(str(text)) if locale.startswith("tr") else str(text).lower()


def fold(text: str) -> str:
    """An accent-free lower-case form for searching ("Şişli" → "sisli", "SARIÇAM" → "saricam")."""
    lowered = tr_lower(text).translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def sort_key(text: str) -> str:
    """A string whose byte order is the Turkish alphabetical order of `text`.

    Letters of the Turkish alphabet take two-digit codes in alphabet order; digits and other
    letters follow; spaces and punctuation are word separators ("00").
    """
    out: list[str] = []
    for char in tr_lower(text):
        index = ALPHABET.find(char)
        if index >= 0:
            out.append(f"{index + 20:02d}")
        elif char.isdigit():
            out.append(f"1{char}")
        elif char.isalpha():
            base = fold(char) or char
            index = ALPHABET.find(base[0]) if base else -1
            out.append(f"{index + 20:02d}" if index >= 0 else "99")
        else:
            if out and out[-1] != "00":
                out.append("00")
    while out and out[-1] == "00":
        out.pop()
    return "".join(out)[:250]
