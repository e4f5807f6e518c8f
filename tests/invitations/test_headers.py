"""Header lines that need neither folding nor encoded words are written directly
(mail.compose.header); they must be what the standard library's Header writes."""

from __future__ import annotations

import random
import string
from email.header import Header

from reslog_events.mail.compose import header

NAMES = ["To", "Subject", "Date", "Message-ID", "X-RESLOG-Outbox-Id", "Content-Language"]
ALPHABET = string.ascii_letters + string.digits + " \t<>@.,;:\"'()=?_-!#" + "şİğüçö€"


def _reference(name: str, value: str) -> bytes:
    if "\r" in value or "\n" in value:
        value = " ".join(value.split())
    charset = "us-ascii" if value.isascii() else "utf-8"
    encoded = Header(value, charset, maxlinelen=78, header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}".encode("ascii") + b"\r\n"


def test_header_lines_equal_the_standard_librarys():
    rng = random.Random(7)
    for _ in range(5000):
        name = rng.choice(NAMES)
        value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120)))
        if rng.random() < 0.5:
            value = value.encode("ascii", "ignore").decode()
        assert header(name, value) == _reference(name, value), (name, value)
