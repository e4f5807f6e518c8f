"""The one style in which a person reads dates and times, per language: the language's own
(CLDR) patterns through Babel, never seconds, the zone named where nothing else names it.

Every page, email, export column and message a person reads formats through these names;
`tests/languages/test_datetime_style.py` fails on a date or time format written anywhere else.

    day(d)                     "4 Mar 2031"             4 Mar 2031 · ٤‏/٣‏/٢٠٣١ …
    day(d, "long")             "4 March 2031"
    day(d, "full")             "Tuesday, 4 March 2031"
    month(d)                   "March 2031"
    clock(t, zone)             "10:00"
    moment(t, zone)            "4 Mar 2031, 10:00"      the date and the time, joined as the
                                                        language joins them
    moment(t, zone, "short")   "04/03/2031, 10:00"
    time_range(a, b, zone)     "10:00 – 11:30"          (a range into another day names it)
    zone_label(zone)           "GMT+3 · Europe/Istanbul"
    moment_in_zone(t, zone)    "4 Mar 2031, 10:00 (GMT+3 · Europe/Istanbul)"

Machine formats, which no person reads, live here too, so that nothing else writes one:
`input_value` (what <input type="datetime-local"> shows and sends), `iso_clock` (the
English API messages' "09:41"), `month_key` ("2026-11", a report period) and
`spreadsheet_value` with `SPREADSHEET_DATETIME` (a date cell Excel sorts and filters).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_time,
    get_datetime_format,
    get_day_names,
    get_timezone_name,
)
from flask import current_app, has_app_context
from flask_babel import get_locale

from .bidi import isolate

DayStyle = Literal["short", "medium", "long", "full"]
#: what <input type="datetime-local"> shows and sends
INPUT_FORMAT = "%Y-%m-%dT%H:%M"
#: the number format of an XLSX date-and-time cell: one order in every language, so that a
#: column reads the same whoever opened it; Excel sorts and filters the cell as a date
SPREADSHEET_DATETIME = "yyyy-mm-dd hh:mm"


def current_locale() -> str:
    """The page's (or email's) language; the default language outside a request."""
    locale = get_locale()
    if locale is not None:
        return str(locale)
    return current_app.config["DEFAULT_LANGUAGE"] if has_app_context() else "tr"


def _zone(zone: str | tzinfo | None) -> tzinfo | None:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def _local(value: datetime, zone: str | tzinfo | None) -> datetime:
    """`value` in `zone`; a naive value is taken as already local (a wall-clock time)."""
    tz = _zone(zone)
    if tz is None or value.tzinfo is None:
        return value
    return value.astimezone(tz)


def day(value: date | datetime, style: DayStyle = "medium", locale: str | None = None) -> str:
    """A date; a datetime is read as the date it shows (convert it to its zone first)."""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, style, locale=locale or current_locale())


def month(value: date | datetime, locale: str | None = None) -> str:
    """The month and year, e.g. "March 2031", "Mart 2031", "مارس ٢٠٣١"."""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "LLLL y", locale=locale or current_locale())


def weekday_names(locale: str | None = None) -> list[str]:
    """The days' names, Monday first ("Pazartesi" … "Pazar")."""
    names = get_day_names("wide", locale=locale or current_locale())
    return [names[index] for index in range(7)]


def clock(value: datetime, zone: str | tzinfo | None = None, locale: str | None = None) -> str:
    """A time of day, without seconds."""
    return format_time(_local(value, zone), "short", locale=locale or current_locale())


def moment(
    value: datetime,
    zone: str | tzinfo | None = None,
    style: DayStyle = "medium",
    locale: str | None = None,
) -> str:
    """A date and time, without seconds, joined by the language's own pattern."""
    locale = locale or current_locale()
    local = _local(value, zone)
    pattern = get_datetime_format(style, locale=locale)
    return (
        str(pattern)
        .replace("{1}", day(local, style, locale))
        .replace("{0}", clock(local, None, locale))
    )


def time_range(
    start: datetime, end: datetime, zone: str | tzinfo | None = None, locale: str | None = None
) -> str:
    """E.g. "09:30 – 11:00"; a range that ends on a later day names that day."""
    locale = locale or current_locale()
    tz = _zone(zone) or start.tzinfo
    local_start, local_end = _local(start, tz), _local(end, tz)
    text = f"{clock(local_start, None, locale)} – "
    if local_end.date() != local_start.date():
        text += day(local_end, "medium", locale) + " "
    return text + clock(local_end, None, locale)


def zone_label(zone: str | ZoneInfo, locale: str | None = None) -> str:
    """E.g. "GMT+3 · Europe/Istanbul"; the IANA name isolated, or in Arabic the parenthesis
    around it breaks apart on wrapping."""
    key = zone if isinstance(zone, str) else zone.key
    return _zone_label(key, locale or current_locale())


@lru_cache(maxsize=512)
def _zone_label(key: str, locale: str) -> str:
    # kept per zone and language: Babel's zone-name look-up was a tenth of the RSVP page's
    # and most of each answered row's CPU (bench/pages.py)
    name = get_timezone_name(ZoneInfo(key), "short", locale=locale, zone_variant=None)
    return f"{name} · {isolate(key, locale)}"


def moment_in_zone(
    value: datetime | None, zone: str, style: DayStyle = "medium", locale: str | None = None
) -> str:
    """A date and time in `zone`, with the zone named; "" for no value."""
    if value is None:
        return ""
    return f"{moment(value, zone, style, locale)} ({zone_label(zone, locale)})"


def input_value(value: datetime | None, zone: str | tzinfo | None = None) -> str | None:
    """The value of an <input type="datetime-local"> for `value` in `zone`."""
    return _local(value, zone).strftime(INPUT_FORMAT) if value is not None else None


def spreadsheet_value(value: datetime, zone: str | tzinfo | None) -> datetime:
    """`value` as the wall-clock time in `zone`, without a zone: Excel has no time zones and
    openpyxl refuses an aware datetime. The column heading or the file names the zone."""
    return _local(value, zone).replace(tzinfo=None, microsecond=0)


def month_key(value: date | datetime) -> str:
    """ "2026-11": a month as a key (report periods), not for reading."""
    return f"{value.year:04d}-{value.month:02d}"


def iso_clock(value: datetime, zone: str | tzinfo | None = None) -> str:
    """ "09:41": the time of day in the English API messages (ISO 8601, no locale)."""
    return _local(value, zone).strftime("%H:%M")


def day_label(value: date, style: DayStyle = "full") -> str:
    """A day as a heading: "Thursday, 14 May 2026"."""
    return day(value, style)


def local_datetime(value: datetime | None, zone: str) -> str:
    """A date and time in `zone` without the zone (the page names it once); "" for none."""
    return moment(value, zone) if value is not None else ""


#: the names templates use (`core.web` registers them)
TEMPLATE_GLOBALS = {
    "day_label": day_label,
    "month_label": month,
    "clock": clock,
    "local_datetime": local_datetime,
    "time_range": time_range,
    "zone_name": zone_label,
}
