"""iCalendar (RFC 5545) of the programme: the itinerary's entries (one VEVENT per session a
delegation member attends) and the subscribable feeds of events.

Every zoned time carries its TZID, with one VTIMEZONE per zone covering the years in use (UTC
times are written with `Z` and need none). Feed bodies are deterministic (DTSTAMP is the event's
last change), so that their hash serves as the ETag.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from ..core.columns import utcnow
from ..events.display import calendar_text
from ..events.models import Event, EventStatus
from ..extensions import LANGUAGES
from ..invitations.calendar import PRODID, vtimezone

_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Zulu"})


def _calendar(name: str | None = None, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    if method:
        cal.add("METHOD", method)
    if name:
        cal.add("X-WR-CALNAME", name)
    return cal


def _add_timezones(cal: Calendar, spans: dict[str, tuple[int, int]]) -> None:
    for tzid in sorted(spans):
        if tzid not in _UTC_NAMES:
            first, last = spans[tzid]
            cal.add_component(vtimezone(tzid, first, last))


def _widen(spans: dict[str, tuple[int, int]], tzid: str, *moments: datetime) -> None:
    years = [m.year for m in moments]
    first, last = spans.get(tzid, (min(years), max(years)))
    spans[tzid] = (min(first, *years), max(last, *years))


def organizer() -> vCalAddress:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    value = vCalAddress(f"mailto:{address or 'events@localhost'}")
    if name:
        value.params["CN"] = vText(name)
    return value


def place_of(event: Event) -> str:
    parts = [event.venue, event.address, event.city]
    place = ", ".join(p for p in parts if p)
    if event.online_url:
        place = f"{place} · {event.online_url}" if place else event.online_url
    return place


# Itinerary ----------------------------------------------------------------------------------------


def itinerary_calendar(event: Event, entries: Iterable[dict[str, Any]]) -> bytes:
    """One VEVENT per entry (see `itinerary.entries_for`), published as a set (METHOD:PUBLISH:
    RFC 5546 allows several UIDs in one PUBLISH, a REQUEST only one)."""
    cal = _calendar(event.title, "PUBLISH")
    spans: dict[str, tuple[int, int]] = {}
    components = []
    stamp = utcnow().replace(microsecond=0)
    for entry in entries:
        zone = ZoneInfo(entry["tzid"])
        start = datetime.fromisoformat(entry["starts_at"]).astimezone(zone)
        end = datetime.fromisoformat(entry["ends_at"]).astimezone(zone)
        _widen(spans, entry["tzid"], start, end)
        vevent = VEvent()
        vevent.add("UID", entry["uid"])
        vevent.add("DTSTAMP", stamp)
        vevent.add("DTSTART", start)
        vevent.add("DTEND", end)
        vevent.add("SEQUENCE", entry["sequence"])
        vevent.add("SUMMARY", entry["summary"])
        if entry.get("location"):
            vevent.add("LOCATION", entry["location"])
        if entry.get("description"):
            vevent.add("DESCRIPTION", entry["description"])
        vevent.add("STATUS", entry["status"])
        vevent.add("TRANSP", "TRANSPARENT" if entry["status"] == "CANCELLED" else "OPAQUE")
        vevent.add("ORGANIZER", organizer())
        components.append(vevent)
    _add_timezones(cal, spans)
    for component in components:
        cal.add_component(component)
    return cal.to_ical()


# Feeds --------------------------------------------------------------------------------------------


def feed_uid(event: Event) -> str:
    """The event's UID in the feeds (not an invitation's: a feed is not a personal invitation)."""
    return f"event-{event.id}@reslog-events"


_FEED_STATUS = {
    EventStatus.published: "CONFIRMED",
    EventStatus.cancelled: "CANCELLED",
    EventStatus.draft: "TENTATIVE",
}


def feed_calendar(events: Iterable[Event], name: str, url_for_event=None) -> bytes:
    """A subscribable calendar of `events` (no METHOD: a plain published calendar)."""
    cal = _calendar(name)
    cal.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", "PT1H")
    spans: dict[str, tuple[int, int]] = {}
    components = []
    language = _feed_language()
    for event in events:
        start, end = event.local_starts_at, event.local_ends_at
        _widen(spans, event.timezone, start, end)
        vevent = VEvent()
        vevent.add("UID", feed_uid(event))
        changed = event.updated_at.replace(microsecond=0)
        vevent.add("DTSTAMP", changed)
        vevent.add("LAST-MODIFIED", changed)
        vevent.add("CREATED", event.created_at.replace(microsecond=0))
        vevent.add("DTSTART", start)
        vevent.add("DTEND", end)
        vevent.add("SEQUENCE", event.sequence)
        vevent.add("SUMMARY", event.title_in(language))
        place = place_of(event)
        if place:
            vevent.add("LOCATION", place)
        description = calendar_text(event, language)
        if description:
            vevent.add("DESCRIPTION", description)
        url = url_for_event(event) if url_for_event else event.online_url
        if url:
            vevent.add("URL", url)
        vevent.add("STATUS", _FEED_STATUS[event.status])
        vevent.add("TRANSP", "TRANSPARENT" if event.is_cancelled else "OPAQUE")
        vevent.add("CATEGORIES", [event.kind.value])
        components.append(vevent)
    _add_timezones(cal, spans)
    for component in components:
        cal.add_component(component)
    return cal.to_ical()


def _feed_language() -> str | None:
    """The feed URL's `?lang=`: titles in that language where the event has them. Only the URL
    decides (calendar programs send no Accept-Language, and caches keep URLs apart)."""
    if has_request_context() and request.args.get("lang") in LANGUAGES:
        return request.args["lang"]
    return None
