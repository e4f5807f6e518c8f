"""Every download the app serves names its file through one helper, `core.downloads`: an
ASCII `filename=` for old clients and the real name as RFC 5987 `filename*=`, so that a title
with Ş, ğ, ı (or Arabic) neither breaks the header nor loses its letters."""

from __future__ import annotations

import re
from pathlib import Path

from reslog_events.core.downloads import content_disposition

ROOT = Path(__file__).resolve().parents[1]
HAND_MADE = re.compile(r"(?:attachment|inline); filename=")

#: (file) → why it may write the header itself
OWN_HEADERS = {
    "reslog_events/core/downloads.py": "the helper",
    "reslog_events/mail/compose.py": "MIME parts of an email (RFC 2231, the email package)",
    "reslog_events/mail/views.py": "the development outbox's parts (mail/ is reworked apart)",
}


def test_no_download_writes_its_content_disposition_by_hand():
    stray = []
    for path in sorted((ROOT / "reslog_events").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in OWN_HEADERS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_MADE.search(line):
                stray.append(f"{name}:{number}: {line.strip()}")
    assert not stray, "use core.downloads.content_disposition:\n" + "\n".join(stray)


def test_ascii_names_stay_plain_and_turkish_names_get_both_forms():
    assert content_disposition("attachment", "audit-log.csv") == (
        'attachment; filename="audit-log.csv"'
    )
    header = content_disposition("attachment", "Şişli Forumu 2031-03-04 Yanıtlar.csv")
    assert header == (
        'attachment; filename="Sisli Forumu 2031-03-04 Yanitlar.csv"; '
        "filename*=UTF-8''%C5%9Ei%C5%9Fli%20Forumu%202031-03-04%20Yan%C4%B1tlar.csv"
    )
    header.encode("latin-1")  # what a WSGI header must be
