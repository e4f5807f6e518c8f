"""The invitee's own calendar lines are written as strings (calendar._own_lines): they must be
exactly what icalendar's component machinery writes for the same values, escaping and folding
included, for names and texts that need them, and parse back to the same values."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import icalendar
import pytest
from icalendar import Event as VEvent
from icalendar import vCalAddress, vText

from reslog_events.invitations.calendar import _fold, _own_lines

ALPHABET = (
    "abcxyz ABC 019 .-_@/:;,\\\"'^’\n\r\t"
    "ŞşİıĞğÜüÖöÇç"  # Turkish
    "محمدالعربيّ"  # Arabic
    "ÅåÄä€😀𝔸"
)


def _reference(uid, stamp, description, url, email, name, partstat) -> bytes:
    """What the code wrote before, through icalendar's components."""
    own = VEvent()
    own.add("UID", uid)
    own.add("DTSTAMP", stamp)
    if description:
        own.add("DESCRIPTION", description)
    if url:
        own.add("URL", url)
    attendee = vCalAddress(f"mailto:{email}")
    if name:
        attendee.params["CN"] = vText(name)
    attendee.params["CUTYPE"] = "INDIVIDUAL"
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = partstat
    attendee.params["RSVP"] = "TRUE" if partstat == "NEEDS-ACTION" else "FALSE"
    own.add("ATTENDEE", attendee)
    lines = own.to_ical().split(b"\r\n")
    return b"\r\n".join(lines[1:-2]) + b"\r\n"


def _text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


FIXED = [
    ("Ayşe Sarıçam", "Gündem: açılış, oturumlar; kapanış.\n\nhttps://e.org/rsvp/abc"),
    ('Smith, "Jo" ^ x:y; z', "a\\N b \\ c\r\nd\re"),
    ("محمد العربي " * 8, "Gündem " * 30),
    ("x" * 60 + "\\", "y" * 72 + "\\,"),
    ("", ""),
]


@pytest.mark.parametrize("seed", range(40))
def test_own_lines_equal_icalendars(seed):
    rng = random.Random(seed)
    stamp = datetime(2026, 11, 26, 9, 10, rng.randint(0, 59), tzinfo=UTC)
    cases = [*FIXED] if seed == 0 else []
    cases += [(_text(rng, 90), _text(rng, 300)) for _ in range(10)]
    for name, description in cases:
        for partstat in ("NEEDS-ACTION", "ACCEPTED"):
            url = rng.choice([None, "https://e.org/rsvp/" + "t0K-_" * rng.randint(1, 20)])
            uid = f"{rng.getrandbits(128):032x}@reslog-events"
            email = rng.choice(["kisi1@example.org", "a.very.long.address." * 4 + "@example.org"])
            values = (uid, stamp, description.strip(), url, email, name or None, partstat)
            assert _own_lines(*values) == _reference(*values), values


def test_own_lines_parse_back():
    name, description = 'Şükrü "Reyhanlı", ^Ali; x:y', "Gündem:\nsatır, iki; üç \\ son"
    lines = _own_lines(
        "u1@reslog-events",
        datetime(2026, 11, 26, 9, 10, tzinfo=UTC),
        description,
        "https://e.org/rsvp/x",
        "sukru@example.org",
        name,
        "NEEDS-ACTION",
    )
    entry = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + lines + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).walk("VEVENT")[0]
    assert str(entry["DESCRIPTION"]) == description
    assert str(entry["ATTENDEE"].params["CN"]) == name
    assert str(entry["UID"]) == "u1@reslog-events"


def test_fold_keeps_lines_within_75_octets():
    for line in ("x" * 200, "ş" * 100, "a" + "😀" * 40, "b" * 73 + "\\n" + "c" * 10):
        folded = _fold(line)
        assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
        assert folded.replace("\r\n ", "") == line
