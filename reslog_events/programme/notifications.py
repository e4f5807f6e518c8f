"""The itinerary email to a delegation member, rendered by the send worker in the member's
language: travel details, the note to the delegation, per day the sites and the sessions they
attend, and one calendar entry per session (`entries` of the outbox payload, fixed when it was
queued so that the email and the member's record of what was sent agree)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..events.display import event_period
from ..extensions import RTL_LANGUAGES, db
from ..mail.messages import RenderedEmail, SkipEmail, renderer
from ..mail.models import OutgoingEmail
from ..rsvp.links import event_place, rsvp_url
from ..rsvp.queries import organiser_contact
from . import queries
from .ical import itinerary_calendar
from .itinerary import EMAIL_KIND
from .models import DelegationMember


def _days(event, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per day (event's zone): the sites of the itinerary and the entries (sessions)."""
    zone = event.zone
    by_day: dict[date, dict[str, list]] = defaultdict(lambda: {"sites": [], "entries": []})
    for site in queries.sites_for(event):
        by_day[site.day]["sites"].append(site)
    for entry in entries:
        start = datetime.fromisoformat(entry["starts_at"]).astimezone(zone)
        end = datetime.fromisoformat(entry["ends_at"]).astimezone(zone)
        by_day[start.date()]["entries"].append({**entry, "start": start, "end": end})
    return [{"day": day, **parts} for day, parts in sorted(by_day.items())]


@renderer(EMAIL_KIND)
def render_itinerary(outgoing: OutgoingEmail) -> RenderedEmail:
    invitation = outgoing.invitation
    if invitation is None:
        raise SkipEmail("no invitation")
    event = invitation.event
    payload = outgoing.payload or {}
    entries = payload.get("entries") or []
    member = db.session.get(DelegationMember, payload.get("member_id") or 0)
    language = outgoing.language
    name, address = organiser_contact(event)
    with force_locale(language):
        ctx = {
            "invitation": invitation,
            "event": event,
            "contact": invitation.contact,
            "member": member,
            "note": queries.settings_of(event).delegation_note,
            "days": _days(event, [e for e in entries if e["status"] != "CANCELLED"]),
            "cancelled": [e for e in entries if e["status"] == "CANCELLED"],
            "period": event_period(event),
            "place": event_place(event),
            "rsvp_url": rsvp_url(invitation),
            "organiser_name": name,
            "organiser_email": address,
            "lang": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        }
        subject = _("Your itinerary: %(title)s", title=event.title)
        text = render_template("programme/email/itinerary.txt", **ctx)
        html = render_template("programme/email/itinerary.html", **ctx)
    return RenderedEmail(
        subject=subject,
        text=text,
        html=html,
        calendar=itinerary_calendar(event, entries) if entries else None,
    )
