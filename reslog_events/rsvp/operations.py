"""Writes on answers: answer (by the invitee or for them), waitlist and promotion, revoke, rotate
the check-in code. Each changes, flushes, audits, signals and queues its emails; the caller
commits (the emails leave after the commit).

Seats are decided one answer at a time: `lock_event` holds the event's row until the commit,
so that 50 people accepting at once for 10 seats end as 10 accepted and 40 on the waitlist, in
the order in which their answers were decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from ..audit.operations import record
from ..auth.models import User
from ..core.columns import utcnow
from ..core.signals import invitation_answered, invitation_revoked
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..invitations.operations import rotate_checkin_code
from ..mail.outbox import queue_email
from .page_rows import InvitationRow
from .queries import accepted_count, answers_open, waitlist_position
from .schemas import NEED_FIELDS, WANTED_STATUS, InviteeAnswer, ManualAnswer, Reply

Accepted = InvitationStatus.accepted
Waitlisted = InvitationStatus.waitlisted


class AnswerRefused(Exception):
    """The answer cannot be recorded: `reason` is "revoked", "erased", "cancelled" or "closed"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class AnswerResult:
    invitation: Invitation
    old_status: InvitationStatus
    #: invitations moved from the waitlist to a seat by this change (emailed)
    promoted: list[Invitation] = field(default_factory=list)

    @property
    def status(self) -> InvitationStatus:
        return self.invitation.status

    @property
    def waitlist_position(self) -> int | None:
        return waitlist_position(self.invitation)


def lock_event(event_id: int) -> Event:
    """The event, locked for the rest of the transaction.

    PostgreSQL: `SELECT … FOR UPDATE` on its row. SQLite ignores FOR UPDATE but has one writer
    at a time: a no-op write first takes the database's write lock, so that what is counted
    next cannot change before the commit.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("UPDATE events SET id = id WHERE id = :id"), {"id": event_id})
    return db.session.execute(_lock_statement(), {"event_id": event_id}).scalar_one()


@cache
def _lock_statement() -> sa.Select:
    # built once, the id a parameter: no cache key worked out per answer (bench/pages.py)
    return (
        sa.select(Event)
        .where(Event.id == sa.bindparam("event_id"))
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _reload(invitation: Invitation | InvitationRow) -> Invitation:
    """The invitation as committed now (another request may have changed it before our lock)."""
    return _reload_counting(invitation)[0]


@dataclass
class Seats:
    """The event's accepted and waitlisted invitations, counted under its lock."""

    accepted: int
    waiting: int


def _reload_counting(invitation: Invitation | InvitationRow) -> tuple[Invitation, Seats]:
    """`_reload`, with the event's seats counted by the same statement (read after the lock
    like the invitation; a fast path of answering, bench/pages.py: a statement less)."""
    found, accepted, waiting = db.session.execute(
        _reload_counting_statement(), {"invitation_id": invitation.id}
    ).one()
    return found, Seats(accepted, waiting)


@cache
def _reload_counting_statement() -> sa.Select:
    """Built once per process (a new alias each time would also miss the compiled cache)."""
    others = aliased(Invitation, name="others")

    def count(status: InvitationStatus) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.count())
            .where(others.event_id == Invitation.event_id, others.status == status)
            .scalar_subquery()
        )

    return (
        sa.select(Invitation, count(Accepted), count(Waitlisted))
        .where(Invitation.id == sa.bindparam("invitation_id"))
        # the contact with it: the answer reads it next (bench/pages.py, answering)
        .options(joinedload(Invitation.contact))
        .execution_options(populate_existing=True)
    )


def _store_needs(invitation: Invitation, reply: InviteeAnswer | ManualAnswer) -> bool:
    """Keep the needs and consents of the reply; returns whether anything changed."""
    before = _needs_snapshot(invitation)
    now = utcnow()
    if reply.consent_data:
        invitation.consent_data_at = invitation.consent_data_at or now
    else:
        invitation.consent_data_at = None
    invitation.consent_photos = reply.consent_photos
    # Needs are kept only for someone who may come, and only with consent (or as an organiser
    # recorded them for the invitee).
    keep = reply.response != Reply.decline and (
        reply.consent_data or isinstance(reply, ManualAnswer)
    )
    invitation.diet_choices = [d.value for d in reply.diet_choices] if keep else []
    invitation.dietary_needs = reply.dietary_needs if keep else None
    invitation.access_choices = [a.value for a in reply.access_choices] if keep else []
    invitation.accessibility_needs = reply.accessibility_needs if keep else None
    invitation.interpretation_language = reply.interpretation_language if keep else None
    return _needs_snapshot(invitation) != before


def _needs_snapshot(invitation: Invitation) -> tuple:
    return (
        *(getattr(invitation, name) for name in NEED_FIELDS),
        invitation.consent_data_at is not None,
        invitation.consent_photos,
    )


def _waitlist(event: Event, limit: int | None) -> list[Invitation]:
    stmt = (
        sa.select(Invitation)
        .where(Invitation.event_id == event.id, Invitation.status == Waitlisted)
        .order_by(Invitation.waitlisted_at, Invitation.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def fill_free_seats(event: Event, seats: Seats | None = None) -> list[Invitation]:
    """Promote the first on the waitlist into free seats (after a decline, a revocation or a
    larger capacity). Call with the event locked (`lock_event`); `seats` as counted under that
    lock, if they were. Each is emailed."""
    if event.is_cancelled or event.has_ended or (seats is not None and not seats.waiting):
        return []
    if event.capacity is None:
        waiting = _waitlist(event, None)
    else:
        taken = seats.accepted if seats is not None else accepted_count(event.id)
        free = event.capacity - taken
        waiting = _waitlist(event, free) if free > 0 else []
    for invitation in waiting:
        invitation.status = Accepted
        invitation.waitlisted_at = None
        db.session.flush()
        record("invitation.promote", invitation, {"from": "waitlisted"}, actor="system")
        queue_email("promotion", invitation=invitation)
        invitation_answered.send(invitation, old_status=Waitlisted)
    return waiting


def answer(
    invitation: Invitation | InvitationRow,
    reply: InviteeAnswer | ManualAnswer,
    *,
    by: User | None = None,
) -> AnswerResult:
    """Record an answer: the invitee's own (`by=None`, only while answers are open) or an
    organiser's on their behalf (`by` the user, also after the deadline). Of `invitation` only
    its ids are read: it is reloaded under the event's lock.

    `accept` takes a seat, or a place on the waitlist when the event is full; leaving a seat
    promotes the first on the waitlist. Raises `AnswerRefused`.
    """
    event = lock_event(invitation.event_id)
    invitation, seats = _reload_counting(invitation)
    old = invitation.status
    if old == InvitationStatus.revoked:
        raise AnswerRefused("revoked")
    if invitation.contact.erased_at is not None:  # answers would bring the person back
        raise AnswerRefused("erased")
    if event.is_cancelled:
        raise AnswerRefused("cancelled")
    if by is None and not answers_open(event):
        raise AnswerRefused("closed")

    needs_changed = _store_needs(invitation, reply)
    wanted = WANTED_STATUS[reply.response]
    promoted: list[Invitation] = []
    if wanted == Accepted:
        # People already waiting come first, should seats have been freed meanwhile. (Their
        # query does not read this invitation's needs: those are written with its status, in
        # one UPDATE rather than two; bench/pages.py, answering.)
        with db.session.no_autoflush:
            promoted = fill_free_seats(event, seats)
        if invitation.status not in (Accepted, Waitlisted):
            taken = seats.accepted + len(promoted)
            if event.capacity is None or taken < event.capacity:
                invitation.status = Accepted
            else:
                invitation.status = Waitlisted
                invitation.waitlisted_at = utcnow()
    else:
        invitation.status = wanted
        invitation.waitlisted_at = None
    if invitation.status != old or needs_changed or invitation.responded_at is None:
        invitation.responded_at = utcnow()
    if wanted != Accepted and old == Accepted:  # its seat is free now
        promoted = fill_free_seats(event, Seats(seats.accepted - 1, seats.waiting))

    data = {"from": old.value, "to": invitation.status.value, "response": reply.response.value}
    if needs_changed:
        data["needs_changed"] = True
    if by is not None:
        note = getattr(reply, "note", None)
        if note:
            data["note"] = note
        record("invitation.answer", invitation, data, actor="user", user_id=by.id)
    else:
        record("invitation.answer", invitation, data, actor="invitee")

    # The email's row, the audit entry and the invitation's UPDATE (its status, needs and
    # email status at once) go in one flush. (Promoted by its own accept, it already has its
    # promotion email.)
    if invitation.status == Accepted and old != Accepted and invitation not in promoted:
        queue_email("confirmation", invitation=invitation)
    elif invitation.status == Waitlisted and old != Waitlisted:
        queue_email("waitlisted", invitation=invitation)
    db.session.flush()  # (nothing left to write after queue_email's own)
    invitation_answered.send(invitation, old_status=old)
    return AnswerResult(invitation, old, promoted)


def revoke(invitation: Invitation, *, by: User) -> list[Invitation]:
    """Withdraw an invitation: its link and check-in code stop working, its seat is freed and
    goes to the first on the waitlist. Returns the promoted invitations."""
    event = lock_event(invitation.event_id)
    invitation = _reload(invitation)
    old = invitation.status
    if old == InvitationStatus.revoked:
        return []
    invitation.status = InvitationStatus.revoked
    invitation.revoked_at = utcnow()
    invitation.waitlisted_at = None
    db.session.flush()
    record("invitation.revoke", invitation, {"from": old.value}, actor="user", user_id=by.id)
    invitation_revoked.send(invitation)
    return fill_free_seats(event) if old == Accepted else []


def rotate_code(invitation: Invitation, *, by: User) -> str:
    """A new QR check-in code (a lost or shared code); the old one answers `revoked` at the door.
    Someone who accepted gets a new confirmation with the new code."""
    code = rotate_checkin_code(invitation)
    db.session.flush()
    record("invitation.rotate_code", invitation, {}, actor="user", user_id=by.id)
    if invitation.status == Accepted:
        queue_email("confirmation", invitation=invitation, payload={"reason": "new_code"})
    return code
