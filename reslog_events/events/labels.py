"""How the event form names its fields: the labels every message about a field starts with
(core.validation), registered when the event operations are loaded."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.validation import field_labels
from ..directory.models import Language
from .schemas import EventIn, EventPatch

_TRANSLATED_FIELDS = {
    "title": _l("Title"),
    "description": _l("Description"),
    "venue_notes": _l("Venue notes"),
}


def translation_label(loc: tuple) -> Any:
    """`translations.ar.title`: the title in the Arabic tab, "Title (العربية)"."""
    field = _TRANSLATED_FIELDS.get(str(loc[-1]))
    names = dict(Language.choices())
    if len(loc) < 3 or field is None or str(loc[1]) not in names:
        return _l("Title and description")
    return _("%(field)s (%(language)s)", field=field, language=names[str(loc[1])])


#: the event form's labels, which name the fields in every message about them
field_labels(
    EventIn,
    EventPatch,
    labels={
        "title": _l("Title"),
        "kind": _l("Kind"),
        "level": _l("Level"),
        "status": _l("Status"),
        "starts_at": _l("Starts"),
        "ends_at": _l("Ends"),
        "timezone": _l("Time zone"),
        "venue": _l("Venue"),
        "address": _l("Address"),
        "city": _l("City"),
        "country": _l("Country"),
        "online_url": _l("Online meeting link"),
        "capacity": _l("Seats"),
        "rsvp_deadline": _l("Answer by"),
        "reminder_hours": _l("Reminder (hours before the start)"),
        "certificates": _l("Certificates of attendance"),
        "languages": _l("Languages (interpretation)"),
        "description": _l("Description"),
        "translations": translation_label,
        "venue_notes": _l("Venue notes"),
        "substitutes_need_approval": _l("A colleague sent instead of an invitee needs my approval"),
        "is_public": _l("Show on the public programme"),
        "host_organisation_id": _l("Host"),
    },
)
