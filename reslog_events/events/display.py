"""How an event's times read on a page: in the event's zone and the page's language, without
seconds, with the zone named."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.datetimes import clock, current_locale, moment, zone_label
from ..directory.models import Language
from .models import Event, Translatable


def event_period(event: Event) -> str:
    """E.g. "14 May 2026, 10:00 – 17:00 (Türkiye Saati · Europe/Istanbul)"; a period over
    several days names both dates."""
    zone = event.zone
    start = moment(event.starts_at, zone)
    if event.local_starts_at.date() == event.local_ends_at.date():
        end = clock(event.ends_at, zone)
    else:
        end = moment(event.ends_at, zone)
    return f"{start} – {end} ({zone_label(zone)})"


def event_moment(value: datetime, event: Event) -> str:
    """One moment of the event (e.g. its answer deadline) in the event's zone."""
    return f"{moment(value, event.zone)} ({zone_label(event.zone)})"


def content_in(thing: Translatable, field: str, language: str | None = None) -> str:
    """An event's (or agenda session's) `field` in `language` — by default the page's (or
    email's) — else in the default language. Every page, email and feed reads content so."""
    return thing.text_in(field, language or current_locale())


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
