"""How programme dates and times read on pages and in emails: in the event's zone and the
current language (registered as template globals by `views`)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_name
from flask_babel import get_locale


def _locale() -> str:
    return str(get_locale() or "tr")


def day_label(day: date, fmt: str = "full") -> str:
    """E.g. "Thursday, 14 May 2026" in the page's language."""
    return format_date(day, format=fmt, locale=_locale())


def time_range(start: datetime, end: datetime, zone: str | None = None) -> str:
    """E.g. "09:30 – 11:00" (times in the zone of `start`, or `zone`); a range that ends on a
    later day names that day."""
    tz = ZoneInfo(zone) if zone else start.tzinfo
    locale = _locale()
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    text = f"{format_time(local_start, 'short', locale=locale)} – "
    if local_end.date() != local_start.date():
        text += format_date(local_end, "medium", locale=locale) + " "
    return text + format_time(local_end, "short", locale=locale)


def zone_name(zone: str) -> str:
    """E.g. "GMT+3 · Europe/Istanbul"."""
    short = get_timezone_name(ZoneInfo(zone), "short", locale=_locale(), zone_variant=None)
    return f"{short} · {zone}"


def local_datetime(value: datetime | None, zone: str) -> str:
    """E.g. "14 May 2026, 09:30" in `zone` (no zone named: the page names it once)."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    locale = _locale()
    day = format_date(local, "medium", locale=locale)
    return f"{day}, {format_time(local, 'short', locale=locale)}"


TEMPLATE_GLOBALS = {
    "day_label": day_label,
    "time_range": time_range,
    "zone_name": zone_name,
    "local_datetime": local_datetime,
}
