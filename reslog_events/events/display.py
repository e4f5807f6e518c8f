"""How an event's times read on a page: in the event's zone and the page's language, without
seconds, with the zone named."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_datetime_format, get_timezone_name
from flask_babel import get_locale

from ..core.bidi import isolate
from .models import Event


def _locale() -> str:
    return str(get_locale() or "tr")


def _date_and_time(value: datetime, zone: ZoneInfo, locale: str) -> str:
    date = format_date(value.astimezone(zone), "medium", locale=locale)
    time = format_time(value, "short", tzinfo=zone, locale=locale)
    return get_datetime_format("medium", locale=locale).replace("{1}", date).replace("{0}", time)


def _zone_label(zone: ZoneInfo, locale: str) -> str:
    # the zone's Latin name is isolated in Arabic, or the parenthesis breaks apart on wrapping
    name = get_timezone_name(zone, "short", locale=locale, zone_variant=None)
    return f"{name} · {isolate(zone.key, locale)}"


def event_period(event: Event) -> str:
    """E.g. "14 May 2026 10:00 – 17:00 (Türkiye Saati · Europe/Istanbul)"; a period over
    several days names both dates."""
    return _period(event.starts_at, event.ends_at, event.timezone, _locale())


@lru_cache(maxsize=2048)
def _period(starts_at: datetime, ends_at: datetime, timezone: str, locale: str) -> str:
    """The text of a period: a function of its arguments alone, so kept (Babel's date and
    zone names were a tenth of the RSVP page's CPU: bench/pages.py)."""
    zone = ZoneInfo(timezone)
    start = _date_and_time(starts_at, zone, locale)
    if starts_at.astimezone(zone).date() == ends_at.astimezone(zone).date():
        end = format_time(ends_at, "short", tzinfo=zone, locale=locale)
    else:
        end = _date_and_time(ends_at, zone, locale)
    return f"{start} – {end} ({_zone_label(zone, locale)})"


def event_moment(value: datetime, event: Event) -> str:
    """One moment of the event (e.g. its answer deadline) in the event's zone."""
    zone, locale = event.zone, _locale()
    return f"{_date_and_time(value, zone, locale)} ({_zone_label(zone, locale)})"


def event_title(event: Event) -> str:
    """The title in the page's (or email's) language, else the default one."""
    return event.title_in(_locale())


def event_description(event: Event) -> str:
    """The description in the page's (or email's) language, else the default one."""
    return event.description_in(_locale())
