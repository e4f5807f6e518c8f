"""How an event's times read on a page: in the event's zone and the page's language, without
seconds, with the zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_datetime_format, get_timezone_name
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..core.bidi import isolate
from ..directory.models import Language
from .models import Event, Translatable


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
    zone, locale = event.zone, _locale()
    start = _date_and_time(event.starts_at, zone, locale)
    if event.local_starts_at.date() == event.local_ends_at.date():
        end = format_time(event.ends_at, "short", tzinfo=zone, locale=locale)
    else:
        end = _date_and_time(event.ends_at, zone, locale)
    return f"{start} – {end} ({_zone_label(zone, locale)})"


def event_moment(value: datetime, event: Event) -> str:
    """One moment of the event (e.g. its answer deadline) in the event's zone."""
    zone, locale = event.zone, _locale()
    return f"{_date_and_time(value, zone, locale)} ({_zone_label(zone, locale)})"


def content_in(thing: Translatable, field: str, language: str | None = None) -> str:
    """An event's (or agenda session's) `field` in `language` — by default the page's (or
    email's) — else in the default language. Every page, email and feed reads content so."""
    return thing.text_in(field, language or _locale())


def event_title(event: Event) -> str:
    """The title in the page's (or email's) language, else the default one."""
    return content_in(event, "title")


def event_description(event: Event) -> str:
    """The description in the page's (or email's) language, else the default one."""
    return content_in(event, "description")


def event_venue_notes(event: Event) -> str:
    """The venue notes in the page's (or email's) language, else the default ones."""
    return content_in(event, "venue_notes")


def calendar_text(event: Event, language: str | None) -> str:
    """A calendar entry's DESCRIPTION in `language` (None: the default one): the description,
    then how to get in (LOCATION keeps the place alone, which calendar programs hand to maps)."""
    description = event.description_in(language).strip()
    notes = event.venue_notes_in(language).strip()
    if notes:
        with force_locale(language or current_app.config["DEFAULT_LANGUAGE"]):
            notes = _("Getting there: %(notes)s", notes=notes)
    return "\n\n".join(part for part in (description, notes) if part)


def session_title(session: Translatable) -> str:
    """An agenda session's title in the page's (or email's) language, else the default one."""
    return content_in(session, "title")


def default_language_name() -> str:
    """The name of the language of the content's own columns (the fallback), in the page's."""
    return dict(Language.choices())[current_app.config["DEFAULT_LANGUAGE"]]


def content_languages(event: Event) -> list[tuple[str, str]]:
    """The languages (code, name) an event's content may be given in besides the default:
    the event's own, or every language of the app while it names none."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    named = set(event.languages or [])
    return [
        (code, name)
        for code, name in Language.choices()
        if code != default and (not named or code in named)
    ]
