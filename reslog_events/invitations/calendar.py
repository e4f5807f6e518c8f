"""The calendar entry (RFC 5545) that goes with every email about an invitation.

One entry per invitation, with a UID that never changes, so that a calendar program replaces the
entry on an update (`SEQUENCE` raised) and removes it on a cancellation (`METHOD:CANCEL`):

    invitation_calendar(inv)                          # the invitation (METHOD:REQUEST)
    invitation_calendar(inv, partstat="ACCEPTED")     # the confirmation after "accept"
    invitation_calendar(inv, method="CANCEL")         # the cancellation

Times carry the event's `TZID` with a matching `VTIMEZONE` covering the calendar years the event
touches (narrow, yet it shows the zone's DST rules around the event).
"""

from __future__ import annotations

from datetime import date, datetime
from email.utils import parseaddr
from functools import lru_cache

from flask import current_app, has_request_context
from flask_babel import get_locale
from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as VEvent
from icalendar.parser import param_value

from ..core.columns import utcnow
from ..events.display import calendar_text
from .models import Invitation

PRODID = "-//RESLOG//RESLOG Events//EN"
#: calendar methods an email may carry (RFC 5546)
METHODS = ("REQUEST", "CANCEL", "PUBLISH")
#: ATTENDEE participation states (RFC 5545 3.2.12)
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE")


def calendar_uid(invitation: Invitation) -> str:
    """The entry's UID: the invitation's own random uid, stable across updates."""
    return f"{invitation.uid}@reslog-events"


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for `tzid` valid from 1 January of `first_year` to the end of `last_year`.

    Building one walks the zone's transitions (slow), so it is kept per zone and years; the
    component is shared between calendars and must not be changed.
    """
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def ical_tzid(zone: str) -> str:
    """The TZID written for an IANA zone. "UTC" becomes its alias "Etc/UTC": icalendar turns a
    TZID of "UTC" into the "Z" form, and every entry should carry a TZID with its VTIMEZONE."""
    return "Etc/UTC" if zone == "UTC" else zone


def _location(event) -> str:
    parts = [event.venue, event.address, event.city]
    place = ", ".join(p for p in parts if p)
    if event.online_url:
        place = f"{place} · {event.online_url}" if place else event.online_url
    return place


@lru_cache(maxsize=64)
def _organizer_parts(mail_from: str, organiser_name: str | None) -> tuple[str, str | None]:
    """ORGANIZER's address and CN: the sender's address, the organiser's (or sender's) name."""
    name, address = parseaddr(mail_from)
    return f"mailto:{address or 'events@localhost'}", organiser_name or name or None


def _organizer(event) -> tuple[str, str | None]:
    organiser_name = event.organiser.name if event.organiser and event.organiser.name else None
    return _organizer_parts(current_app.config["MAIL_FROM"], organiser_name)


# --- the lines of one invitee -------------------------------------------------------------------
# Written as strings, with RFC 5545's escaping and folding exactly as icalendar writes them (the
# tests compare the two on awkward names and texts): a fan-out writes these lines once per
# invitee, and icalendar's component machinery would be most of that work (docs/benchmarks.md,
# "Fast paths").


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11), as icalendar's vText does it."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """A content line folded into pieces of at most 74 octets (RFC 5545 3.1), as icalendar
    folds it: never inside a UTF-8 character, nor between a backslash or caret and the
    character it escapes."""
    data = line.encode()
    if len(data) < 75:
        return line
    parts = []
    start = 0
    while len(data) - start > 74:
        cut = start + 74
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - start > 1:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def _own_lines(
    uid: str,
    stamp: datetime,
    description: str,
    url: str | None,
    email: str,
    name: str | None,
    partstat: str,
) -> bytes:
    """The VEVENT lines of one invitee (DTSTAMP, UID, ATTENDEE, DESCRIPTION, URL), in the order
    icalendar writes them."""
    params = ""
    if name:
        # icalendar quotes a CN with a space or an apostrophe, and what RFC 5545 requires
        params = f"CN={param_value(name, always_quote=' ' in name or chr(39) in name)};"
    rsvp = "TRUE" if partstat == "NEEDS-ACTION" else "FALSE"
    lines = [
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        _fold(f"UID:{_text(uid)}"),
        _fold(
            f"ATTENDEE;{params}CUTYPE=INDIVIDUAL;PARTSTAT={partstat};ROLE=REQ-PARTICIPANT;"
            f"RSVP={rsvp}:mailto:{email}"
        ),
    ]
    if description:
        lines.append(_fold(f"DESCRIPTION:{_text(description)}"))
    if url:
        lines.append(_fold(f"URL:{url}"))
    lines.append("")
    return "\r\n".join(lines).encode()


def _lines(component) -> bytes:
    """A component's content lines without its BEGIN/END lines."""
    lines = component.to_ical().split(b"\r\n")
    return b"\r\n".join(lines[1:-2]) + b"\r\n"


@lru_cache(maxsize=256)
def _head(method: str, tzid: str, first_year: int, last_year: int) -> bytes:
    """BEGIN:VCALENDAR, its properties and the VTIMEZONE: shared by every entry of a zone."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", method)
    cal.add_component(vtimezone(tzid, first_year, last_year))
    return cal.to_ical().removesuffix(b"END:VCALENDAR\r\n")


@lru_cache(maxsize=1024)
def _shared(
    tzid: str,
    start: datetime,
    end: datetime,
    sequence: int,
    title: str,
    location: str,
    cancelled: bool,
    organizer: str,
    organizer_cn: str | None,
) -> bytes:
    """The VEVENT lines every invitee of an event shares (for one state of the event).

    A pure function of its arguments, so a changed event is a different key: in a fan-out of
    10,000 invitations these lines are folded and escaped once, not 10,000 times."""
    entry = VEvent()
    # Wall-clock times with TZID (calendar programs show the event in its own zone), and the
    # VTIMEZONE says what that zone is.
    entry.add("DTSTART", start, parameters={"TZID": tzid})
    entry.add("DTEND", end, parameters={"TZID": tzid})
    entry.add("SEQUENCE", sequence)
    entry.add("SUMMARY", title)
    if location:
        entry.add("LOCATION", location)
    entry.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE")
    address = vCalAddress(organizer)
    if organizer_cn:
        address.params["CN"] = vText(organizer_cn)
    entry.add("ORGANIZER", address)
    return _lines(entry)


def _current_language(invitation: Invitation) -> str:
    """The locale of the email or page being made; outside a request, the invitee's."""
    if has_request_context():
        return str(get_locale() or "")
    return invitation.contact.language.value if invitation.contact is not None else ""


def invitation_calendar(
    invitation: Invitation,
    *,
    method: str = "REQUEST",
    partstat: str | None = None,
    sequence: int | None = None,
    rsvp_url: str | None = None,
    language: str | None = None,
) -> bytes:
    """The iCalendar body (bytes, CRLF lines) for one invitation.

    `method` is REQUEST (invitation, update, reminder, confirmation), CANCEL or PUBLISH;
    `partstat` the attendee's answer (None: NEEDS-ACTION); `sequence` overrides the event's
    (an outbox row remembers the sequence it announced); `rsvp_url` becomes the entry's URL.
    SUMMARY and DESCRIPTION are in `language` where the event has a translation (default: the
    current locale, which is the invitee's in their emails and the page's on a page).
    """
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"unknown calendar method {method!r}")
    partstat = (partstat or "NEEDS-ACTION").upper()
    if partstat not in PARTSTATS:
        raise ValueError(f"unknown PARTSTAT {partstat!r}")
    event = invitation.event
    zone = event.zone
    start = event.starts_at.astimezone(zone)
    end = event.ends_at.astimezone(zone)
    cancelled = method == "CANCEL" or event.is_cancelled
    tzid = ical_tzid(event.timezone)
    organizer, organizer_cn = _organizer(event)
    if language is None:
        language = _current_language(invitation)
    description = calendar_text(event, language)
    if rsvp_url:
        description = f"{description}\n\n{rsvp_url}".strip()
    contact = invitation.contact
    own = _own_lines(
        calendar_uid(invitation),
        utcnow(),
        description,
        rsvp_url or event.online_url,
        contact.email or "invitee@invalid",
        contact.full_name or None,
        partstat,
    )
    shared = _shared(
        tzid,
        start.replace(tzinfo=None),
        end.replace(tzinfo=None),
        event.sequence if sequence is None else sequence,
        event.title_in(language),
        _location(event),
        cancelled,
        organizer,
        organizer_cn,
    )
    return (
        _head("CANCEL" if cancelled else method, tzid, start.year, end.year)
        + b"BEGIN:VEVENT\r\n"
        + own
        + shared
        + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
