"""One date and time style per language, without seconds, wherever a person reads a time.

The walk fails on a date or time format written outside `core/datetimes.py` (strftime, an
f-string date spec, Babel's or Flask-Babel's formatters, Jinja's date filters); the few
machine formats elsewhere (calendar stamps, file names, SQL) are listed with their reason. The
pages and the email are then read in Turkish, English, Arabic and Swedish."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THE_MODULE = ROOT / "reslog_events" / "core" / "datetimes.py"

FORMATS = re.compile(
    r"\.strftime\("
    r"|\{[^{}\n]*:%[A-Za-z]"  # f"{value:%Y-%m-%d}"
    r"|%[HIMS][:%]|%Y-%m"
    r"|HH:mm|yyyy-MM"
    r"|from (?:babel\.dates|flask_babel) import [^\n]*\bformat_(?:date|time|datetime)\b"
    r"|\|\s*(?:datetimeformat|dateformat|timeformat)\b"
)

#: machine formats no person reads: (file, text of the line) → why
MACHINE_FORMATS = {
    ("reslog_events/rsvp/links.py", ".astimezone(UTC).strftime(fmt)"): "calendar links' stamps",
    ("reslog_events/rsvp/links.py", 'fmt = "%Y%m%dT%H%M%SZ"'): "Google's link, in UTC",
    ("reslog_events/rsvp/links.py", 'fmt = "%Y-%m-%dT%H:%M:%SZ"'): "Outlook's link, in UTC",
    ("reslog_events/checkin/views.py", "{utcnow():%Y%m%d-%H%M}.csv"): "the CSV's file name",
    ("reslog_events/reports/groupings.py", 'sa.func.strftime("%Y-%m"'): "SQLite's month, in SQL",
    ("reslog_events/invitations/calendar.py", "DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}"): "DTSTAMP",
}

SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")


def _sources():
    for path in sorted((ROOT / "reslog_events").rglob("*.py")):
        if path != THE_MODULE:
            yield path
    for pattern in ("*.html", "*.txt"):
        yield from sorted((ROOT / "templates").rglob(pattern))


def _findings() -> list[tuple[str, str, int]]:
    """(file, line, number) of every line with a date or time format."""
    found = []
    for path in _sources():
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORMATS.search(line):
                found.append((name, line, number))
    return found


def _machine(name: str, line: str) -> bool:
    return any(name == file and text in line for file, text in MACHINE_FORMATS)


def test_no_date_or_time_format_outside_the_one_module():
    stray = [
        f"{name}:{number}: {line.strip()}"
        for name, line, number in _findings()
        if not _machine(name, line)
    ]
    assert not stray, "format dates and times with reslog_events.core.datetimes:\n" + "\n".join(
        stray
    )


def test_machine_formats_listed_are_still_there():
    found = _findings()
    for file, text in MACHINE_FORMATS:
        assert any(name == file and text in line for name, line, _n in found), (file, text)


def test_the_walk_catches_a_stray_format(tmp_path):
    for line in (
        'x = value.strftime("%d.%m.%Y")',
        'f"{when:%Y-%m-%d %H:%M}"',
        "from flask_babel import format_datetime",
        "{{ entry.created_at|datetimeformat('medium') }}",
        "format_datetime(value, 'yyyy-MM-dd HH:mm')",
    ):
        assert FORMATS.search(line), line


START = datetime(2031, 3, 4, 7, 5, tzinfo=UTC)
#: the event's start and answer deadline (Europe/Istanbul) as each language writes them
EXPECTED = {
    "tr": ("4 Mar 2031 10:05", "2 Mar 2031 18:30"),
    "en": ("Mar 4, 2031, 10:05\u202fAM", "Mar 2, 2031, 6:30\u202fPM"),
    "ar": ("04\u200f/03\u200f/2031، 10:05 ص", "02\u200f/03\u200f/2031، 6:30 م"),
    "sv": ("4 mars 2031 10:05", "2 mars 2031 18:30"),
}
LANGUAGES = tuple(EXPECTED)


@pytest.fixture
def forum(create_event):
    return create_event(
        title="Şişli ve Sarıçam forumu",
        starts_at=START,
        ends_at=START + timedelta(hours=5),
        rsvp_deadline=datetime(2031, 3, 2, 15, 30, tzinfo=UTC),
    )


def _no_seconds(html: str) -> None:
    assert not SECONDS.search(html), SECONDS.search(html).group(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_rsvp_page_per_language(client, forum, create_invitation, forget_locale, language):
    new = create_invitation(event=forum)
    forget_locale()
    html = client.get(f"/rsvp/{new.rsvp_token}?lang={language}").get_data(as_text=True)
    start, deadline = EXPECTED[language]
    assert start in html and deadline in html
    _no_seconds(html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_page_and_email_preview_per_language(client, auth, forum, language):
    auth.login("organiser")
    start, deadline = EXPECTED[language]
    html = client.get(f"/events/{forum.id}?lang={language}").get_data(as_text=True)
    assert start in html
    _no_seconds(html)
    text = client.get(
        f"/events/{forum.id}/invitations/preview?lang={language}&format=text"
    ).get_data(as_text=True)
    assert start in text and deadline in text
    _no_seconds(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_audit_log_and_checkin_log_per_language(app, client, auth, forum, language):
    from reslog_events.audit.operations import record
    from reslog_events.core import datetimes
    from reslog_events.extensions import db

    entry = record("event.update", forum, {"changes": {"venue": ["a", "b"]}})
    entry.created_at = datetime(2031, 1, 9, 11, 41, 37, tzinfo=UTC)
    db.session.commit()
    auth.login("admin")
    html = client.get(f"/admin/audit?lang={language}").get_data(as_text=True)
    zone = app.config["DEFAULT_TIMEZONE"]
    assert datetimes.moment(entry.created_at, zone, locale=language) in html
    assert "41:37" not in html
    _no_seconds(html)
    html = client.get(f"/events/{forum.id}/checkin/log?lang={language}").get_data(as_text=True)
    _no_seconds(html)


#: a page's date and time (with its zone) in each language: the style's one way, `moment`'s
#: medium pattern, and never the short numeric one ("7.12.2026 17:36")
ANSWERED = datetime(2031, 2, 20, 14, 36, tzinfo=UTC)
ANSWERED_READ = {
    "tr": "20 Şub 2031 17:36",
    "en": "Feb 20, 2031, 5:36\u202fPM",
    "ar": "20\u200f/02\u200f/2031، 5:36 م",
    "sv": "20 feb. 2031 17:36",
}
SHORT_READ = {"tr": "20.02.2031 17:36", "sv": "2031-02-20 17:36"}


def test_no_page_chooses_its_own_style_for_a_moment():
    """The same kind of value reads the same on every page: a date and time is `event_time`'s
    (or `local_datetime`'s) medium style, never a page's own choice of "short"."""
    style = re.compile(
        r"""event_time\([^()]*(?:\([^()]*\)[^()]*)*,\s*["'](?:short|long|full)["']"""
    )
    chosen = [
        f"{name}:{number}: {line.strip()}"
        for path in _sources()
        for name in [path.relative_to(ROOT).as_posix()]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if style.search(line)
    ]
    assert not chosen, "\n".join(chosen)


@pytest.mark.parametrize("language", LANGUAGES)
def test_answers_rows_and_scanner_read_as_the_event_pages(
    client, auth, forum, create_invitation, language
):
    """The walk-through's "7.12.2026 17:36" (answers' rows) and "21.12.2026" (the scanner's
    head) beside "21 Ara 2026" on the event's pages."""
    create_invitation(event=forum, status="accepted", responded_at=ANSWERED)
    auth.login("organiser")
    html = client.get(f"/events/{forum.id}/answers?lang={language}").get_data(as_text=True)
    assert ANSWERED_READ[language] in html
    if language in SHORT_READ:
        assert SHORT_READ[language] not in html
    html = client.get(f"/events/{forum.id}/checkin?lang={language}").get_data(as_text=True)
    assert EXPECTED[language][0] in html
