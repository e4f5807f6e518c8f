"""Reminders to invitees who have not answered.

- By hand: `remind_pending(event)` (the API's POST …/reminders, the organisers' page) reminds the
  pending invitees who were not reminded in the last REMINDER_MIN_INTERVAL_HOURS: pressing the
  button twice reminds nobody twice.
- Scheduled: `send_scheduled_reminders()` (the clock, every quarter of an hour) reminds those still
  pending once REMINDER_DAYS_BEFORE_DEADLINE days before the RSVP deadline, and those who accepted
  once `reminder_hours` before the start (event_reminders).

Either way an invitation is claimed by one conditional UPDATE of `reminded_at` (… WHERE still
due), so two runs at once remind each person once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..checkin.models import CheckIn
from ..core.columns import utcnow
from ..directory.models import Contact
from ..events.models import Event, EventStatus
from ..extensions import db
from .event_reminders import send_event_reminders
from .models import Invitation, InvitationStatus
from .operations import InvitationRefused, queue_invitation_emails

logger = logging.getLogger(__name__)


@dataclass
class RemindOutcome:
    reminded: int
    skipped: int
    outgoing_ids: list[int]


def _due(event_id: int, not_since: datetime) -> tuple[sa.ColumnElement[bool], ...]:
    """The event's pending invitations not reminded since `not_since` and having an address."""
    has_address = sa.select(Contact.id).where(
        Contact.id == Invitation.contact_id, Contact.email.is_not(None)
    )
    # Someone already at the door (a walk-in is pending too) needs no reminder.
    checked_in = sa.select(CheckIn.id).where(CheckIn.invitation_id == Invitation.id)
    return (
        Invitation.event_id == event_id,
        Invitation.status == InvitationStatus.pending,
        # a colleague awaiting approval was never invited
        Invitation.awaiting_approval.is_(False),
        sa.or_(Invitation.reminded_at.is_(None), Invitation.reminded_at < not_since),
        has_address.exists(),
        ~checked_in.exists(),
    )


def _not_since(now: datetime) -> datetime:
    return now - timedelta(hours=float(current_app.config.get("REMINDER_MIN_INTERVAL_HOURS", 24)))


def _claim_for_reminder(event_id: int, not_since: datetime, now: datetime) -> list[int]:
    """Set reminded_at on the invitations due (`_due`); returns their ids (one UPDATE …
    RETURNING: atomic per row)."""
    return list(
        db.session.scalars(
            sa.update(Invitation)
            .where(*_due(event_id, not_since))
            .values(reminded_at=now)
            .returning(Invitation.id)
            .execution_options(synchronize_session=False)
        )
    )


def reminders_due(event_id: int) -> int:
    """How many invitees `remind_pending` would remind now (the confirmation step's count)."""
    due = (
        sa.select(sa.func.count())
        .select_from(Invitation)
        .where(*_due(event_id, _not_since(utcnow())))
    )
    return db.session.scalar(due) or 0


def _pending_count(event_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(Invitation.event_id == event_id, Invitation.status == InvitationStatus.pending)
        )
        or 0
    )


def remind_pending(
    event: Event, *, by: User | None = None, note: str | None = None
) -> RemindOutcome:
    """Remind the pending invitees of `event` now (see the module's rule). The caller commits."""
    if event.is_cancelled:
        raise InvitationRefused("event_cancelled", _("The event is cancelled."))
    if event.status != EventStatus.published:
        raise InvitationRefused(
            "event_not_published", _("Reminders can be sent once the event is published.")
        )
    if event.has_ended:
        raise InvitationRefused("event_ended", _("The event is over."))
    now = utcnow()
    pending = _pending_count(event.id)
    ids = sorted(_claim_for_reminder(event.id, _not_since(now), now))
    outgoing = queue_invitation_emails(ids, kind="reminder", note=note) if ids else []
    record(
        "invitations.remind",
        event,
        {"reminded": len(ids), "note": note or None, "scheduled": False},
        user_id=by.id if by is not None else None,
    )
    return RemindOutcome(reminded=len(ids), skipped=pending - len(ids), outgoing_ids=outgoing)


def events_due_for_reminders(now: datetime, days: int) -> list[Event]:
    """Published events whose RSVP deadline is ahead but within `days` days."""
    return list(
        db.session.scalars(
            sa.select(Event)
            .where(
                Event.status == EventStatus.published,
                Event.rsvp_deadline.is_not(None),
                Event.rsvp_deadline > now,
                Event.rsvp_deadline <= now + timedelta(days=days),
                Event.starts_at > now,
            )
            .order_by(Event.rsvp_deadline)
        )
    )


def send_scheduled_reminders(now: datetime | None = None) -> int:
    """Remind, for each event within REMINDER_DAYS_BEFORE_DEADLINE days of its RSVP deadline,
    the pending invitees not reminded since that window opened; then those who accepted, before
    the start (event_reminders). Commits per event; returns the number reminded."""
    now = now or utcnow()
    return _remind_before_deadlines(now) + send_event_reminders(now)


def _remind_before_deadlines(now: datetime) -> int:
    days = int(current_app.config["REMINDER_DAYS_BEFORE_DEADLINE"])
    if days <= 0:
        return 0
    total = 0
    for event in events_due_for_reminders(now, days):
        window_opened = event.rsvp_deadline - timedelta(days=days)
        ids = sorted(_claim_for_reminder(event.id, window_opened, now))
        if ids:
            queue_invitation_emails(ids, kind="reminder")
            record(
                "invitations.remind",
                event,
                {"reminded": len(ids), "scheduled": True},
                actor="system",
            )
            total += len(ids)
        db.session.commit()
    if total:
        logger.info("scheduled reminders: %d invitees", total)
    return total
