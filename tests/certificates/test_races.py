"""Two clocks at once (a second clock process, the embedded worker beside a real one): each
accepted invitee is reminded once before the start, each participant emailed one certificate."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from reslog_events.certificates.mailing import send_certificates
from reslog_events.certificates.models import Certificate
from reslog_events.checkin.models import CheckIn
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.event_reminders import send_event_reminders
from reslog_events.mail.models import OutgoingEmail

CLOCKS = 4


def _race(app, job) -> list[int]:
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(CLOCKS)

    def clock():
        with app.app_context():
            try:
                barrier.wait()
                done = job()
                with lock:
                    results.append(done)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=clock) for _ in range(CLOCKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def _rows(kind: str) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(OutgoingEmail.invitation_id).where(OutgoingEmail.kind == kind))
    )


def test_reminders_before_the_start_once(app, create_event, create_invitation):
    event = create_event(starts_at=utcnow().replace(microsecond=0) + timedelta(hours=3))
    ids = [
        create_invitation(
            event=event, status="accepted", responded_at=utcnow() - timedelta(days=3)
        ).invitation.id
        for _ in range(10)
    ]
    assert sum(_race(app, send_event_reminders)) == 10
    assert sorted(_rows("event_reminder")) == sorted(ids)


def test_certificates_emailed_once(app, create_event, create_invitation):
    ends = utcnow().replace(microsecond=0) - timedelta(hours=2)
    event = create_event(starts_at=ends - timedelta(hours=6), ends_at=ends, certificates="emailed")
    ids = []
    for _ in range(8):
        invitation = create_invitation(event=event, status="accepted").invitation
        db.session.add(
            CheckIn(
                event_id=event.id, invitation_id=invitation.id, day=event.local_starts_at.date()
            )
        )
        ids.append(invitation.id)
    db.session.commit()
    assert sum(_race(app, send_certificates)) == 8
    assert sorted(_rows("certificate")) == sorted(ids)
    codes = db.session.scalars(sa.select(Certificate.code)).all()
    assert len(codes) == 8 == len(set(codes))
