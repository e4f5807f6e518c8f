"""Before a published event's new time, place or venue notes are saved from the form: who will
be notified (counts per answer and language, names page by page) and what they will get (the
update email, rendered as the worker will), and a confirmation.

The form's save runs the change for real (validation, the receivers queueing the `update`
emails), renders the preview from that state and rolls it all back; only the confirmed save
commits. The API has no such step: a PATCH notifies at once, as the contract says (a client
asks its user before it calls).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.permissions import EDITORS, roles_required
from ..core.api import PageQuery
from ..core.paging import paginate_rows
from ..core.web import event_time
from ..directory.models import Contact, Language, Organisation
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..invitations.notifications import render_invitation_email
from ..invitations.preview import sample_invitation
from ..invitations.queries import notified_statement
from ..invitations.receivers import update_payload
from .models import Event, EventStatus
from .operations import NOTIFYING_FIELDS, notes_before, notes_languages
from .visibility import event_or_404

bp = Blueprint("event_notice", __name__)

#: names on the confirmation itself; the rest on the paged list
FIRST_NAMES = 20
PER_PAGE = 50
#: form fields that steer the confirmation, not the event
STEERING = ("csrf_token", "confirm_notify", "back")


def _labels() -> dict[str, str]:
    """The form's labels of the fields whose change is news for the invitees."""
    return {
        "starts_at": _("Starts"),
        "ends_at": _("Ends"),
        "timezone": _("Time zone"),
        "venue": _("Venue"),
        "address": _("Address"),
        "city": _("City"),
        "country": _("Country"),
        "online_url": _("Online meeting link"),
    }


def _audience(event: Event, changes: dict[str, Any]) -> list[str] | None:
    """The languages notified (None: every one), or [] when nobody hears of `changes`."""
    if event.status != EventStatus.published:
        return []
    if set(changes) & set(NOTIFYING_FIELDS):
        return None
    return notes_languages(event, changes)


def needs_confirmation(event: Event, changes: dict[str, Any]) -> bool:
    """A published event's time, place or venue notes changed, and someone would hear of it."""
    languages = _audience(event, changes)
    if languages == []:
        return False
    notified = notified_statement(event.id, languages=languages)
    return db.session.scalar(sa.select(notified.exists())) or False


def _shown(value: Any, zone: str) -> str:
    if isinstance(value, datetime):
        return event_time(value, zone)
    return "" if value is None else str(value)


def _counts(
    event_id: int, languages: list[str] | None = None
) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]], int]:
    """(answer label, count), (language code, label, count) and the total of those notified."""
    notified = notified_statement(
        event_id, Invitation.status, Contact.language, languages=languages
    ).join(Contact, Contact.id == Invitation.contact_id)
    rows = db.session.execute(notified).all()
    by_status: dict[InvitationStatus, int] = {}
    by_language: dict[str, int] = {}
    default = current_app.config["DEFAULT_LANGUAGE"]
    for status, language in rows:
        by_status[status] = by_status.get(status, 0) + 1
        code = language.value if language else default
        by_language[code] = by_language.get(code, 0) + 1
    statuses = [(s.label, by_status[s]) for s in InvitationStatus if s in by_status]
    languages = [(c, Language(c).label, n) for c, n in sorted(by_language.items())]
    return statuses, languages, len(rows)


def names_statement(event_id: int, languages: list[str] | None = None) -> sa.Select:
    """Those notified, by name (Turkish order), with their organisation."""
    return (
        notified_statement(
            event_id,
            Contact.full_name,
            Organisation.name.label("organisation"),
            languages=languages,
        )
        .join(Contact, Contact.id == Invitation.contact_id)
        .outerjoin(Organisation, Organisation.id == Contact.organisation_id)
        .order_by(Contact.sort_key, Invitation.id)
    )


def _previews(event: Event, changes: dict[str, Any], languages: list[str]) -> list[dict]:
    """The update email in each language of those notified, from the changed event (its new
    sequence included), for a sample invitee whose link goes nowhere."""
    news = {field: changes[field] for field in NOTIFYING_FIELDS if field in changes}
    payload = update_payload(event, news, notes_languages(event, changes))
    previews = []
    with db.session.no_autoflush:
        for language in languages:
            invitation = sample_invitation(event, language)
            with force_locale(language):
                email = render_invitation_email(invitation, "update", payload, language)
            previews.append(
                {"language": language, "label": Language(language).label, "email": email}
            )
    return previews


def _notes_shown(event: Event, changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, before, after) of the venue notes of each language whose notes change."""
    names = dict(Language.choices())
    return [
        (
            _("Venue notes (%(language)s)", language=names[code]),
            notes_before(event, changes, code),
            event.venue_notes_in(code),
        )
        for code in notes_languages(event, changes)
    ]


def confirmation_page(event: Event, changes: dict[str, Any]):
    """The confirmation, from the changed (not yet committed) event; rolls the change back."""
    zone = event.timezone
    labels = _labels()
    shown = [
        (labels[field], _shown(old, zone), _shown(new, zone))
        for field in NOTIFYING_FIELDS
        if field in changes
        for old, new in [changes[field]]
    ]
    shown += _notes_shown(event, changes)
    audience = _audience(event, changes)
    statuses, languages, total = _counts(event.id, audience)
    names = db.session.execute(names_statement(event.id, audience).limit(FIRST_NAMES)).all()
    previews = _previews(event, changes, [code for code, _label, _n in languages])
    title, event_id = event.title, event.id
    db.session.rollback()  # nothing of the change stays, no email is queued
    hidden = [(key, value) for key, value in request.form.items(multi=True) if key not in STEERING]
    return render_template(
        "events/confirm_change.html",
        event=db.session.get(Event, event_id),
        changed=shown,
        statuses=statuses,
        languages=languages,
        total=total,
        names=names,
        more=total - len(names),
        previews=previews,
        hidden=hidden,
        title=title,
        some_languages=audience is not None,
        audience=",".join(audience or ()),
    )


@bp.get("/events/<int:event_id>/notified")
@roles_required(*EDITORS)
def notified(event_id: int):
    """Everyone a change of the event's time or place (or its cancellation) would notify;
    `?languages=ar,tr`: those a change of venue notes in these languages would notify."""
    event = event_or_404(event_id)
    number = min(max(1, request.args.get("page", 1, type=int)), 1_000_000)
    query = PageQuery(page=number, per_page=PER_PAGE)
    asked = request.args.get("languages", "").split(",")
    languages = [code for code in asked if code in Language.__members__] or None
    page = paginate_rows(names_statement(event.id, languages), query)
    return render_template(
        "events/notified.html",
        event=event,
        rows=page.items,
        total=page.total,
        query=query,
        some_languages=languages is not None,
    )
