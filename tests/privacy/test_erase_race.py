"""Erasure against a concurrent invitation or delegation change, for real on PostgreSQL.

Two transactions on two connections (threads). One is held at the moment that matters; the
other runs until it waits for a row lock or finishes; then the first goes on. Whichever order
the database chooses, once the erasure has committed no invitation, email or travel note of
the person is left with their data, and nothing new is created for them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from reslog_events.directory.models import Contact
from reslog_events.events.models import Event
from reslog_events.extensions import db
from reslog_events.invitations import operations as invitations
from reslog_events.invitations.models import Invitation
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.privacy.operations import erase_contact
from reslog_events.programme import itinerary
from reslog_events.programme.models import DelegationMember
from reslog_events.programme.operations import ProgrammeConflict
from reslog_events.programme.schemas import MemberIn

pytestmark = pytest.mark.postgres_only

#: the longest a step may take to reach its next point before the test gives up (a hang)
PATIENCE = 30


class Transaction(threading.Thread):
    """`work()` in its own app context, session and connection, committed at the end;
    `pid` is its PostgreSQL backend, `result` what work returned, `error` what it raised."""

    def __init__(self, app, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.work = work
        self.pid: int | None = None
        self.begun = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        with self.app.app_context(), force_locale("en"):
            try:
                self.pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
                self.begun.set()
                self.result = self.work()
                db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                db.session.rollback()
                self.error = exc
            finally:
                self.begun.set()
                db.session.remove()


def start(app, work: Callable[[], Any]) -> Transaction:
    step = Transaction(app, work)
    step.start()
    assert step.begun.wait(PATIENCE)
    return step


def waits_for_a_lock_or_finishes(step: Transaction) -> str:
    """'waiting' once the step's backend waits for a lock, 'finished' if it ended first."""
    deadline = time.monotonic() + PATIENCE
    with db.engine.connect() as conn:
        while step.is_alive():
            wait = conn.execute(
                sa.text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": step.pid},
            ).scalar()
            conn.rollback()
            if wait == "Lock":
                return "waiting"
            assert time.monotonic() < deadline, "the step neither finished nor waited for a lock"
            time.sleep(0.01)
    return "finished"


def hold(reached: threading.Event, go: threading.Event) -> None:
    reached.set()
    assert go.wait(PATIENCE)


def finish(*steps: Transaction) -> None:
    for step in steps:
        step.join(PATIENCE)
        assert not step.is_alive()


@pytest.fixture
def person(create_contact, create_event):
    """A contact (with an address) and a published event they are not invited to, as ids."""
    contact = create_contact(full_name="Rüya Nurhan Al-Khatib", email="ruya@example.org")
    event = create_event()
    ids = contact.id, event.id
    db.session.commit()
    return ids


def _erasing(contact_id: int, reached: threading.Event | None = None, go=None):
    def work():
        outcome = erase_contact(db.session.get(Contact, contact_id))
        db.session.flush()
        if reached is not None:
            hold(reached, go)
        return outcome

    return work


def _inviting(event_id: int, contact_id: int):
    def work():
        return invitations.invite_contacts(db.session.get(Event, event_id), [contact_id])

    return work


def _left_of(contact_id: int) -> tuple[list[Invitation], list[OutgoingEmail]]:
    db.session.expire_all()
    invited = db.session.scalars(
        sa.select(Invitation).where(Invitation.contact_id == contact_id)
    ).all()
    emails = db.session.scalars(
        sa.select(OutgoingEmail).where(
            OutgoingEmail.invitation_id.in_([inv.id for inv in invited] or [0])
        )
    ).all()
    return list(invited), list(emails)


def test_an_invitation_during_an_erasure_waits_and_is_refused(app, person):
    contact_id, event_id = person
    erased, go = threading.Event(), threading.Event()
    eraser = start(app, _erasing(contact_id, erased, go))
    assert erased.wait(PATIENCE)  # erased, not yet committed
    inviter = start(app, _inviting(event_id, contact_id))
    waits_for_a_lock_or_finishes(inviter)
    go.set()
    finish(eraser, inviter)
    assert eraser.error is None, eraser.error
    assert isinstance(inviter.error, invitations.InvitationRefused), inviter.error
    assert inviter.error.code == "contact_erased" and str(contact_id) in inviter.error.message
    assert _left_of(contact_id) == ([], [])


def test_an_erasure_during_an_invitation_waits_and_cancels_it(app, person, monkeypatch):
    """The inviter has checked the contact and is held before it inserts: the erasure must wait
    for it (the contact is locked from the check on) and then cancel what it queued."""
    contact_id, event_id = person
    checked, go = threading.Event(), threading.Event()
    insert = invitations._insert_ignoring_duplicates

    def held_insert(rows):
        hold(checked, go)
        return insert(rows)

    monkeypatch.setattr(invitations, "_insert_ignoring_duplicates", held_insert)
    inviter = start(app, _inviting(event_id, contact_id))
    assert checked.wait(PATIENCE)
    eraser = start(app, _erasing(contact_id))
    assert waits_for_a_lock_or_finishes(eraser) == "waiting"
    go.set()
    finish(inviter, eraser)
    assert inviter.error is None and eraser.error is None, (inviter.error, eraser.error)
    assert inviter.result.created == 1 and inviter.result.emails_queued == 1
    assert eraser.result.invitations == 1 and eraser.result.emails_cancelled == 1
    invited, emails = _left_of(contact_id)
    assert [inv.token_sealed for inv in invited] == [""]  # erased: no working link
    assert [(e.status, e.to_address) for e in emails] == [(OutboxStatus.skipped, "")]


def test_joining_the_delegation_during_an_erasure_waits_and_is_refused(
    app, create_contact, create_event, create_invitation
):
    visit = create_event(kind="peer_visit")
    contact = create_contact(full_name="Şükrü Sarıçam")
    invitation_id = create_invitation(event=visit, contact=contact, status="accepted").invitation.id
    visit_id, contact_id = visit.id, contact.id
    db.session.commit()
    erased, go = threading.Event(), threading.Event()
    eraser = start(app, _erasing(contact_id, erased, go))
    assert erased.wait(PATIENCE)

    def join():
        body = MemberIn(invitation_id=invitation_id, visa_notes="Passport of Şükrü Sarıçam")
        return itinerary.add_member(db.session.get(Event, visit_id), body)

    joiner = start(app, join)
    waits_for_a_lock_or_finishes(joiner)
    go.set()
    finish(eraser, joiner)
    assert eraser.error is None, eraser.error
    assert isinstance(joiner.error, ProgrammeConflict), joiner.error
    assert joiner.error.code == "contact_erased"
    db.session.expire_all()
    assert db.session.scalars(sa.select(DelegationMember)).all() == []
