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

from datetime import date
from email.utils import parseaddr
from functools import lru_cache

from flask import current_app
from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as VEvent

from ..core.columns import utcnow
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


def _organizer(event) -> vCalAddress:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    organizer = vCalAddress(f"mailto:{address or 'events@localhost'}")
    cn = (event.organiser.name if event.organiser and event.organiser.name else None) or name
    if cn:
        organizer.params["CN"] = vText(cn)
    return organizer


def _attendee(invitation: Invitation, partstat: str) -> vCalAddress:
    contact = invitation.contact
    attendee = vCalAddress(f"mailto:{contact.email or 'invitee@invalid'}")
    if contact.full_name:
        attendee.params["CN"] = vText(contact.full_name)
    attendee.params["CUTYPE"] = "INDIVIDUAL"
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = partstat
    attendee.params["RSVP"] = "TRUE" if partstat == "NEEDS-ACTION" else "FALSE"
    return attendee


def invitation_calendar(
    invitation: Invitation,
    *,
    method: str = "REQUEST",
    partstat: str | None = None,
    sequence: int | None = None,
    rsvp_url: str | None = None,
) -> bytes:
    """The iCalendar body (bytes, CRLF lines) for one invitation.

    `method` is REQUEST (invitation, update, reminder, confirmation), CANCEL or PUBLISH;
    `partstat` the attendee's answer (None: NEEDS-ACTION); `sequence` overrides the event's
    (an outbox row remembers the sequence it announced); `rsvp_url` becomes the entry's URL.
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

    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "CANCEL" if cancelled else method)
    tzid = ical_tzid(event.timezone)
    cal.add_component(vtimezone(tzid, start.year, end.year))

    entry = VEvent()
    entry.add("UID", calendar_uid(invitation))
    entry.add("DTSTAMP", utcnow().replace(microsecond=0))
    # Wall-clock times with TZID (calendar programs show the event in its own zone), and the
    # VTIMEZONE above says what that zone is.
    entry.add("DTSTART", start.replace(tzinfo=None), parameters={"TZID": tzid})
    entry.add("DTEND", end.replace(tzinfo=None), parameters={"TZID": tzid})
    entry.add("SEQUENCE", event.sequence if sequence is None else sequence)
    entry.add("SUMMARY", event.title)
    description = (event.description or "").strip()
    if rsvp_url:
        description = f"{description}\n\n{rsvp_url}".strip()
    if description:
        entry.add("DESCRIPTION", description)
    location = _location(event)
    if location:
        entry.add("LOCATION", location)
    if rsvp_url or event.online_url:
        entry.add("URL", rsvp_url or event.online_url)
    entry.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE")
    entry.add("ORGANIZER", _organizer(event))
    entry.add("ATTENDEE", _attendee(invitation, partstat))
    cal.add_component(entry)
    return cal.to_ical()
