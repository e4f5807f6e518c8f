"""The emails as invitees receive them: written by a real worker (StubBroker) through the file
backend, parsed back as MIME, in the invitee's language, with the calendar entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.calendar import calendar_uid
from reslog_events.invitations.models import Invitation
from reslog_events.invitations.operations import rsvp_token_of
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from tests.invitations import ics

START = datetime(2027, 3, 4, 7, 0, tzinfo=UTC)  # 10:00 in Istanbul


def _invite(api, event, contacts, **extra):
    resp = api("organiser").post(
        f"/api/v1/events/{event.id}/invitations",
        json={"contact_ids": [c.id for c in contacts], **extra},
    )
    assert resp.status_code == 202, resp.json
    return resp


def _parts(msg):
    return {part.get_content_type(): part for part in msg.walk()}


def _calendar(msg):
    part = _parts(msg)["text/calendar"]
    return part, ics.parse(
        part.get_content().encode("utf-8").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    )


def _by_address(messages):
    return {m["To"].addresses[0].addr_spec: m for m in messages}


def test_invitation_email_in_each_language(app, api, stub_worker, create_event, create_contact):
    event = create_event(
        title="Göç ve Kent Forumu",
        kind="workshop",
        starts_at=START,
        ends_at=START + timedelta(hours=6),
        venue="Sarıçam Kültür Merkezi",
        address="Atatürk Cd. 5",
        city="Adana",
        rsvp_deadline=START - timedelta(days=7),
    )
    tr = create_contact(full_name="Şükrü Reyhanlı", email="sukru@example.org", language="tr")
    en = create_contact(full_name="Jane Doe", email="jane@example.org", language="en")
    _invite(api, event, [tr, en], note="Lütfen katılımınızı bildirin.")
    stub_worker.drain()

    messages = _by_address(stub_worker.messages())
    assert set(messages) == {"sukru@example.org", "jane@example.org"}
    raw = stub_worker.outbox_files()[0].read_bytes()
    assert b"=?utf-8?" in raw  # RFC 2047 encoded words for the Turkish subject and name
    assert all(b < 128 for b in raw), "the message on the wire is 7-bit clean"

    for address, contact in (("sukru@example.org", tr), ("jane@example.org", en)):
        msg = messages[address]
        invitation = db.session.scalar(
            sa.select(Invitation).where(Invitation.contact_id == contact.id)
        )
        assert "Göç ve Kent Forumu" in msg["Subject"]
        greeting = "Sayın" if contact is tr else "Dear"
        assert msg.get_body(("plain",)).get_content().startswith(greeting)
        assert msg["To"].addresses[0].display_name == contact.full_name
        parts = _parts(msg)
        assert {"text/plain", "text/html", "text/calendar", "application/ics"} <= set(parts)
        assert msg.get_content_type() == "multipart/mixed"
        text = parts["text/plain"].get_content()
        html = parts["text/html"].get_content()
        link = f"http://rsvp.test/rsvp/{rsvp_token_of(invitation)}"
        assert link in text and link in html
        assert "Sarıçam Kültür Merkezi" in text and "Adana" in text
        assert "Lütfen katılımınızı bildirin." in text and "Lütfen katılımınızı bildirin." in html
        assert "Europe/Istanbul" in text and "10:00" in text  # the event's zone, named
        assert contact.full_name in html
        part, cal = _calendar(msg)
        assert part.get_param("method") == "REQUEST"
        vevent = cal.sub("VEVENT")[0]
        assert vevent.value("UID") == calendar_uid(invitation)
        assert ics.instant(vevent.get("DTSTART"), cal) == START
        assert vevent.get("ATTENDEE").value == f"mailto:{address}"
        assert invitation.email_status.value == "sent"

    assert messages["sukru@example.org"]["Subject"].startswith("Davet:")
    assert messages["jane@example.org"]["Subject"].startswith("Invitation:")
    # dates in the invitee's language (babel formats follow force_locale)
    assert "Mar" in messages["jane@example.org"].get_body(("plain",)).get_content()
    assert "Mar" in messages["sukru@example.org"].get_body(("plain",)).get_content()  # "Mart"
    assert "Şükrü" not in messages["jane@example.org"].get_body(("plain",)).get_content()


def test_update_and_cancellation(app, api, stub_worker, create_event, create_contact):
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=3))
    going, declined, late = (create_contact() for _ in range(3))
    _invite(api, event, [going, declined])
    stub_worker.drain()
    db.session.expire_all()
    declined_inv = db.session.scalar(
        sa.select(Invitation).where(Invitation.contact_id == declined.id)
    )
    declined_inv.status = declined_inv.status.__class__("declined")
    db.session.commit()

    moved = START + timedelta(days=1)
    resp = api("organiser").patch(
        f"/api/v1/events/{event.id}",
        json={"starts_at": moved.isoformat(), "ends_at": (moved + timedelta(hours=3)).isoformat()},
    )
    assert resp.status_code == 200, resp.json
    stub_worker.drain()
    updates = [m for m in stub_worker.messages() if "update" in m["X-RESLOG-Kind"]]
    (update,) = updates
    assert update["To"].addresses[0].addr_spec == going.email
    _, cal = _calendar(update)
    vevent = cal.sub("VEVENT")[0]
    db.session.expire_all()
    assert vevent.value("SEQUENCE") == str(event.sequence) and event.sequence >= 1
    assert ics.instant(vevent.get("DTSTART"), cal) == moved

    # an invitation still queued when the event is cancelled is not sent, nor is a cancellation
    _invite(api, event, [late])
    assert api("organiser").post(f"/api/v1/events/{event.id}/cancel").status_code == 200
    stub_worker.drain()
    cancellations = [m for m in stub_worker.messages() if "cancellation" in m["X-RESLOG-Kind"]]
    (cancel,) = cancellations
    assert cancel["To"].addresses[0].addr_spec == going.email
    part, cal = _calendar(cancel)
    assert part.get_param("method") == "CANCEL" and cal.value("METHOD") == "CANCEL"
    assert cal.sub("VEVENT")[0].value("STATUS") == "CANCELLED"
    assert cal.sub("VEVENT")[0].value("UID") == vevent.value("UID")
    late_rows = db.session.scalars(
        sa.select(OutgoingEmail)
        .join(Invitation)
        .where(Invitation.contact_id == late.id)
        .order_by(OutgoingEmail.id)
    ).all()
    # the invitation (event cancelled) and the cancellation (never invited) are both skipped
    assert [(r.kind, r.status) for r in late_rows] == [
        ("invitation", OutboxStatus.skipped),
        ("cancellation", OutboxStatus.skipped),
    ]
    assert "cancelled" in late_rows[0].last_error
    assert not any(m["To"].addresses[0].addr_spec == late.email for m in stub_worker.messages())


def test_reminder_skipped_when_the_invitee_answered(
    app, api, stub_worker, create_event, create_invitation
):
    event = create_event(rsvp_deadline=utcnow() + timedelta(days=3))
    new = create_invitation(event=event)
    assert api("organiser").post(f"/api/v1/events/{event.id}/reminders").json["reminded"] == 1
    new.invitation.status = new.invitation.status.__class__("accepted")
    db.session.commit()
    stub_worker.drain()
    row = db.session.scalar(sa.select(OutgoingEmail).where(OutgoingEmail.kind == "reminder"))
    db.session.refresh(row)
    assert row.status == OutboxStatus.skipped and "answered" in row.last_error
    assert stub_worker.outbox_files() == []


def test_reminder_email(app, api, stub_worker, create_event, create_invitation, create_contact):
    event = create_event(rsvp_deadline=utcnow() + timedelta(days=3), title="Yuvarlak Masa")
    create_invitation(event=event, contact=create_contact(language="tr"))
    create_invitation(event=event, contact=create_contact(language="en"))
    api("organiser").post(f"/api/v1/events/{event.id}/reminders", json={"note": "Son 3 gün"})
    stub_worker.drain()
    turkish, english = stub_worker.messages()
    assert turkish["Subject"].startswith("Hatırlatma") and "Yuvarlak Masa" in turkish["Subject"]
    assert english["Subject"].startswith("Reminder") and "Yuvarlak Masa" in english["Subject"]
    assert "Son 3 gün" in turkish.get_body(("plain",)).get_content()
