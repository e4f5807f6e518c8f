"""Links handed to invitees: the RSVP page's absolute URL (for emails and calendar entries), and
add-to-calendar links for people whose calendar lives on the web (no .ics file needed; both
services take the times in UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import current_app

from ..core.bidi import PDI, RLI, is_rtl, isolate
from ..events.display import event_description, event_title
from ..events.models import Event
from ..invitations.models import Invitation
from ..invitations.operations import rsvp_token_of

GOOGLE = "https://calendar.google.com/calendar/render"
MAP_SEARCH = "https://www.openstreetmap.org/search"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"
#: keep the links well under the length browsers and services accept
_DETAILS_MAX = 600


def rsvp_url(invitation: Invitation, suffix: str = "") -> str:
    """The absolute link to the invitee's RSVP page (PUBLIC_BASE_URL), e.g. for an email."""
    return rsvp_link(rsvp_token_of(invitation) or "", suffix)


def rsvp_link(token: str, suffix: str = "") -> str:
    """`rsvp_url` of the invitation whose token is known (the page's own)."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/rsvp/{token}{suffix}"


def event_place(event: Event) -> str:
    """Venue, address and city on one line, or the online link for an online event. In a
    right-to-left language each part is isolated and the separator is the language's, so that
    the parts keep their order."""
    parts = [part for part in (event.venue, event.address, event.city) if part]
    if is_rtl() and parts:
        # right to left as a whole (RLI … PDI) even inside a <bdi>, each part isolated
        return RLI + "، ".join(isolate(part) for part in parts) + PDI
    return ", ".join(parts) or (event.online_url or "")


def map_url(event: Event) -> str | None:
    """A map search for the event's address (None for an event without a place)."""
    parts = [event.address or event.venue, event.city, event.country]
    if not (event.address or event.venue or event.city):
        return None
    return f"{MAP_SEARCH}?{urlencode({'query': ', '.join(p for p in parts if p)})}"


def _details(event: Event, rsvp_url: str) -> str:
    text = event_description(event).strip()
    if len(text) > _DETAILS_MAX:
        text = text[:_DETAILS_MAX].rstrip() + "…"
    parts = [text, event.online_url or "", rsvp_url]
    return "\n\n".join(part for part in parts if part)


def _utc(value: datetime, fmt: str) -> str:
    return value.astimezone(UTC).strftime(fmt)


def google_calendar_url(event: Event, rsvp_url: str) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": event_title(event),
        "dates": f"{_utc(event.starts_at, fmt)}/{_utc(event.ends_at, fmt)}",
        "details": _details(event, rsvp_url),
        "location": event_place(event),
        "ctz": event.timezone,
    }
    return f"{GOOGLE}?{urlencode(query)}"


def outlook_calendar_url(event: Event, rsvp_url: str) -> str:
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event_title(event),
        "startdt": _utc(event.starts_at, fmt),
        "enddt": _utc(event.ends_at, fmt),
        "body": _details(event, rsvp_url),
        "location": event_place(event),
    }
    return f"{OUTLOOK}?{urlencode(query)}"
