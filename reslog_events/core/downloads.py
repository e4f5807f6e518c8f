"""The name of a download, for every file the app hands out: RFC 6266 `Content-Disposition`
with an ASCII fallback `filename=` for old clients and the real name (Turkish and Arabic
letters kept) as RFC 5987 `filename*=UTF-8''…`.

    content_disposition("attachment", "Şişli tutanak.pdf")
    → attachment; filename="Sisli tutanak.pdf"; filename*=UTF-8''%C5%9Ei%C5%9Fli%20tutanak.pdf
    file_name("Hatay Çalıştayı / 2026", "2026-03-04", "yanıtlar", ext="xlsx")
    → "Hatay Çalıştayı - 2026 2026-03-04 yanıtlar.xlsx"
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

#: letters NFKD does not take apart into an ASCII letter and an accent
_ASCII_LOOKALIKES = str.maketrans({"ı": "i", "İ": "I", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
#: characters no file system (or no Windows) takes in a name
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
#: a name longer than this is cut (file systems stop at 255 bytes)
MAX_NAME = 120


def content_disposition(disposition: str, filename: str) -> str:
    """`attachment; filename="Sisli_tutanak.pdf"; filename*=UTF-8''%C5%9Ei%C5%9Fli_tutanak.pdf`"""
    decomposed = unicodedata.normalize("NFKD", filename.translate(_ASCII_LOOKALIKES))
    fallback = decomposed.encode("ascii", "ignore").decode("ascii")
    fallback = "".join(c if c.isprintable() and c not in '"\\' else "_" for c in fallback)
    header = f'{disposition}; filename="{fallback or "document"}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def file_name(*parts: str, ext: str) -> str:
    """A readable file name from its parts (a title, a date, what the file holds): characters
    a file system refuses become " - ", spaces are collapsed, and a long title is cut."""
    words = [_SPACES.sub(" ", _UNSAFE.sub(" - ", part)).strip(" .-") for part in parts]
    stem = " ".join(word for word in words if word)
    if len(stem) > MAX_NAME:
        stem = stem[:MAX_NAME].rstrip(" .-")
    return f"{stem or 'download'}.{ext}"
