"""The emails of the invitation pipeline, rendered by the send worker in the invitee's language
(the worker wraps each call in `force_locale(outgoing.language)`):

- `invitation`: the event, the organiser's note and the personal RSVP link; calendar REQUEST.
- `update`: the event's time or place changed; the same calendar UID with the new SEQUENCE.
- `cancellation`: METHOD:CANCEL, STATUS:CANCELLED.
- `reminder`: still no answer; the deadline.

A message that no longer holds when the worker reaches it is skipped (SkipEmail), e.g. an
invitation to an event cancelled meanwhile, or a reminder to someone who has answered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.bidi import isolates
from ..core.datetimes import moment_in_zone
from ..events.display import event_period
from ..extensions import RTL_LANGUAGES, db
from ..mail.messages import RenderedEmail, SkipEmail, renderer
from ..mail.models import OutboxStatus, OutgoingEmail
from ..rsvp.links import event_place, rsvp_url
from ..rsvp.queries import organiser_contact
from .calendar import invitation_calendar
from .models import Invitation, InvitationStatus
from .shared_render import row_state, shared_render_all

TIME_FIELDS = frozenset({"starts_at", "ends_at", "timezone"})
PLACE_FIELDS = frozenset({"venue", "address", "city", "country", "online_url"})

#: ATTENDEE;PARTSTAT of an update, from the invitee's answer so far
_PARTSTAT = {
    InvitationStatus.accepted: "ACCEPTED",
    InvitationStatus.tentative: "TENTATIVE",
}


def _subject(kind: str, title: str) -> str:
    if kind == "update":
        return _("Changed: %(title)s", title=title)
    if kind == "cancellation":
        return _("Cancelled: %(title)s", title=title)
    if kind == "reminder":
        return _("Reminder, please reply: %(title)s", title=title)
    return _("Invitation: %(title)s", title=title)


def _invitation(outgoing: OutgoingEmail) -> Invitation:
    invitation = outgoing.invitation
    if invitation is None:
        raise SkipEmail("no invitation")
    if invitation.status == InvitationStatus.revoked:
        raise SkipEmail("the invitation was revoked")
    return invitation


def _check(kind: str, outgoing: OutgoingEmail, invitation: Invitation) -> None:
    """Skip what is no longer true (see the module's docstring)."""
    event = invitation.event
    payload = outgoing.payload or {}
    if invitation.awaiting_approval:
        # a colleague sent instead, not approved yet: never invited, so told nothing
        raise SkipEmail("the colleague awaits the organiser's approval")
    if kind == "cancellation":
        if not _invitee_heard_of_it(invitation, outgoing.id):
            raise SkipEmail("the invitation had not gone out before the cancellation")
        return
    if event.is_cancelled:
        raise SkipEmail("the event was cancelled")
    if kind == "update":
        if invitation.status == InvitationStatus.declined:
            raise SkipEmail("the invitee declined")
        if payload.get("sequence") is not None and payload["sequence"] < event.sequence:
            raise SkipEmail("a later change has its own message")
    if kind == "reminder":
        if invitation.status != InvitationStatus.pending:
            raise SkipEmail(f"the invitee answered ({invitation.status.value})")
        if event.rsvp_deadline is not None and event.rsvp_deadline < _now():
            raise SkipEmail("the RSVP deadline has passed")


def _now() -> datetime:
    from ..core.columns import utcnow

    return utcnow()


def _invitee_heard_of_it(invitation: Invitation, before_id: int) -> bool:
    """Whether an earlier message about the event is sent or being sent to this invitee."""
    return bool(
        db.session.scalar(
            sa.select(
                sa.select(OutgoingEmail.id)
                .where(
                    OutgoingEmail.invitation_id == invitation.id,
                    OutgoingEmail.id < before_id,
                    OutgoingEmail.kind != "cancellation",
                    OutgoingEmail.status.in_([OutboxStatus.sending, OutboxStatus.sent]),
                )
                .exists()
            )
        )
    )


def _changes(payload: dict[str, Any], event, language: str) -> dict[str, Any]:
    changed = set((payload.get("changes") or {}).keys())
    previous_start = None
    old_new = (payload.get("changes") or {}).get("starts_at")
    if old_new and old_new[0]:
        try:
            old = datetime.fromisoformat(old_new[0])
            previous_start = moment_in_zone(old, event.timezone)
        except (TypeError, ValueError):
            previous_start = None
    return {
        "time_changed": bool(changed & TIME_FIELDS),
        "place_changed": bool(changed & PLACE_FIELDS),
        "notes_changed": language in (payload.get("notes_languages") or ()),
        "previous_start": previous_start,
    }


def _event_parts(event, language: str) -> dict[str, Any]:
    """What every email about `event` in `language` shares, worked out once per app context.

    A worker handles a batch of a fan-out in one app context (workers.middleware), so the
    event's dates, place, organiser and agenda are formatted and queried once per batch, not
    once per invitee; the next batch starts afresh and sees any change. (The renders made
    from them are kept across batches, keyed by their values: shared_render.)"""
    from flask import g

    cache = g.setdefault("_invitation_email_parts", {})
    key = (event.id, event.sequence, event.updated_at, language)
    parts = cache.get(key)
    if parts is None:
        name, address = organiser_contact(event)
        deadline = None
        if event.rsvp_deadline is not None:
            deadline = moment_in_zone(event.rsvp_deadline, event.timezone)
        # the agenda's records do not depend on the language: one query per batch
        agendas = g.setdefault("_invitation_email_agendas", {})
        agenda = agendas.get(key[:3])
        if agenda is None:
            agenda = agendas[key[:3]] = _Agenda(event_agenda_days(event))
        parts = cache[key] = {
            "event_kind": event.kind.label,
            "period": event_period(event),
            "place": event_place(event),
            "deadline": deadline,
            "organiser_name": name,
            "organiser_email": address,
            # shadows the template global of the same name (the programme's agenda partials
            # call it twice per email): the agenda is queried once per batch
            "programme_agenda_days": agenda,
        }
    return parts


class _Agenda:
    """The event's agenda days, queried once per batch, standing in for the template global
    `programme_agenda_days`; its `render_key` (every column of its sessions and sites) keys the
    shared renders kept across batches, so an edited session is never sent stale."""

    def __init__(self, days: list) -> None:
        self.days = days
        self.render_key = tuple(
            (
                day.day,
                tuple(row_state(session) for session in day.sessions),
                tuple(row_state(site) for site in day.sites),
            )
            for day in days
        )

    def __call__(self, _event) -> list:
        return self.days


def event_agenda_days(event) -> list:
    from flask import current_app

    days = current_app.jinja_env.globals.get("programme_agenda_days")
    return days(event) if days is not None and event.id is not None else []


def context(invitation: Invitation, kind: str, payload: dict[str, Any], language: str) -> dict:
    """What the templates get (also used by the organisers' preview)."""
    event = invitation.event
    return {
        "kind": kind,
        "invitation": invitation,
        "event": event,
        "contact": invitation.contact,
        **_event_parts(event, language),
        "rsvp_url": rsvp_url(invitation),
        "note": (payload.get("note") or "").strip() or None,
        "lang": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        **isolates(language),
        **_changes(payload, event, language),
    }


def render_invitation_email(
    invitation: Invitation, kind: str, payload: dict[str, Any], language: str
) -> RenderedEmail:
    """Subject, text, HTML and calendar of one email, in the current locale."""
    ctx = context(invitation, kind, payload, language)
    cancelled = kind == "cancellation"
    calendar = invitation_calendar(
        invitation,
        method="CANCEL" if cancelled else "REQUEST",
        partstat=_PARTSTAT.get(invitation.status),
        rsvp_url=ctx["rsvp_url"],
        language=language,
    )
    text, html = shared_render_all(("emails/invitation.txt", "emails/invitation.html"), ctx)
    return RenderedEmail(
        subject=_subject(kind, invitation.event.title_in(language)),
        text=text,
        html=html,
        calendar=calendar,
    )


def _render(kind: str):
    def render(outgoing: OutgoingEmail) -> RenderedEmail:
        invitation = _invitation(outgoing)
        _check(kind, outgoing, invitation)
        # (the send worker already renders in the row's language; callers outside it too)
        with force_locale(outgoing.language):
            return render_invitation_email(
                invitation, kind, outgoing.payload or {}, outgoing.language
            )

    render.__name__ = f"render_{kind}"
    return render


KINDS = ("invitation", "update", "cancellation", "reminder")
for _kind in KINDS:
    renderer(_kind)(_render(_kind))
