"""The reminder before the event: `reminder_hours` (default 24) before the start, every invitee
who accepted gets the practical details once more — when, where (with a map link), the agenda,
their QR code and the calendar entry — in their language.

Sent by the clock with the scheduled reminders (`reminders.send_scheduled_reminders`). Each
invitation is claimed by one conditional UPDATE of `start_reminded_for` (… WHERE it does not name
the event's current start yet), so two clocks at once remind each person once; a rescheduled
event announces its new start once more. People who checked in already are not claimed, nor
those who accepted after the reminder was due (their confirmation just told them the same). The
worker skips the message if the invitee declined, was revoked or checked in meanwhile, or the
event was cancelled or moved.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..checkin.models import CheckIn
from ..core.columns import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..mail.messages import RenderedEmail, SkipEmail, renderer
from ..mail.models import OutgoingEmail
from ..mail.outbox import queue_emails
from ..rsvp.links import map_url
from ..rsvp.notifications import seat_email
from .models import Invitation, InvitationStatus
from .queries import email_recipients

logger = logging.getLogger(__name__)

KIND = "event_reminder"
#: the longest reminder_hours allowed (the events' check constraint says the same)
MAX_HOURS = 720


def events_due(now: datetime) -> list[Event]:
    """Published events not started yet whose reminder moment has come."""
    candidates = db.session.scalars(
        sa.select(Event).where(
            Event.status == EventStatus.published,
            Event.reminder_hours.is_not(None),
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(hours=MAX_HOURS),
        )
    )
    return [e for e in candidates if e.starts_at - timedelta(hours=e.reminder_hours) <= now]


def _claim(event: Event, now: datetime) -> list[tuple[int, str | None, str]]:
    """Mark the event's accepted, not checked-in invitees as reminded of its current start;
    returns (invitation id, address, language) of those this call marked."""
    due_at = event.starts_at - timedelta(hours=event.reminder_hours or 0)
    checked_in = sa.select(CheckIn.id).where(CheckIn.invitation_id == Invitation.id)
    ids = db.session.scalars(
        sa.update(Invitation)
        .where(
            Invitation.event_id == event.id,
            Invitation.status == InvitationStatus.accepted,
            sa.or_(
                Invitation.start_reminded_for.is_(None),
                Invitation.start_reminded_for != event.starts_at,
            ),
            sa.or_(Invitation.responded_at.is_(None), Invitation.responded_at <= due_at),
            ~checked_in.exists(),
        )
        .values(start_reminded_for=event.starts_at)
        .returning(Invitation.id)
        .execution_options(synchronize_session=False)
    ).all()
    return email_recipients(list(ids))


def send_event_reminders(now: datetime | None = None) -> int:
    """Queue the reminders of every event whose moment has come. Commits per event; returns
    the number of invitees reminded."""
    now = now or utcnow()
    total = 0
    for event in events_due(now):
        recipients = _claim(event, now)
        if recipients:
            queue_emails(KIND, recipients, payload={"starts_at": event.starts_at.isoformat()})
            record(
                "invitations.remind_before_start",
                event,
                {"reminded": len(recipients), "hours": event.reminder_hours},
                actor="system",
            )
            total += len(recipients)
        db.session.commit()
    if total:
        logger.info("reminders before the start: %d invitees", total)
    return total


def _checked_in(invitation: Invitation) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.select(CheckIn.id).where(CheckIn.invitation_id == invitation.id).exists())
        )
    )


@renderer(KIND)
def render_event_reminder(outgoing: OutgoingEmail) -> RenderedEmail:
    invitation = outgoing.invitation
    if invitation is None:
        raise SkipEmail("no invitation")
    event = invitation.event
    if event.is_cancelled:
        raise SkipEmail("the event was cancelled")
    if invitation.status != InvitationStatus.accepted:
        raise SkipEmail(f"the invitee is {invitation.status.value} now")
    if event.starts_at <= utcnow():
        raise SkipEmail("the event has started")
    if (outgoing.payload or {}).get("starts_at") != event.starts_at.isoformat():
        raise SkipEmail("the event moved; its new start has its own reminder")
    if _checked_in(invitation):
        raise SkipEmail("the invitee has checked in")
    return seat_email(
        invitation,
        outgoing.language,
        template="event_reminder",
        subject=lambda title: _("Reminder: %(title)s", title=title),
        map_url=map_url(event),
    )
