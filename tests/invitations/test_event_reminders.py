"""The reminder before the event: `reminder_hours` on the event (API and form), and the clock's
reminder to those who accepted — once, in their language, with the map, the agenda, the QR code
and the calendar entry; never to the checked in or those who declined since."""

from __future__ import annotations

import io
from datetime import UTC, date, timedelta

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from reslog_events.checkin.models import CheckIn
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.models import InvitationStatus
from reslog_events.invitations.reminders import send_scheduled_reminders
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.programme.models import AgendaSession


def _rows():
    db.session.expire_all()
    return db.session.scalars(
        sa.select(OutgoingEmail)
        .where(OutgoingEmail.kind == "event_reminder")
        .order_by(OutgoingEmail.id)
    ).all()


@pytest.fixture
def soon(create_event):
    """An event starting in 20 hours: inside the default 24-hour reminder window."""
    starts = utcnow().replace(microsecond=0) + timedelta(hours=20)
    event = create_event(
        title="Şehir Dayanıklılığı Çalıştayı",
        starts_at=starts,
        ends_at=starts + timedelta(hours=7),
        venue="Kültür Merkezi",
        address="Halaskargazi Cd. 1, Şişli",
        city="İstanbul",
    )
    db.session.add(
        AgendaSession(
            event_id=event.id,
            title="Deprem sonrası barınma",
            starts_at=starts + timedelta(hours=1),
            ends_at=starts + timedelta(hours=2),
        )
    )
    db.session.commit()
    return event


def accepted(create_invitation, create_contact, event, **contact):
    new = create_invitation(
        event=event,
        contact=create_contact(**contact),
        status="accepted",
        responded_at=utcnow() - timedelta(days=5),
    )
    return new


def test_accepted_invitees_are_reminded_once_with_everything(
    app, stub_worker, soon, create_invitation, create_contact
):
    arabic = accepted(
        create_invitation, create_contact, soon, full_name="محمد العلي", language="ar"
    )
    turkish = accepted(create_invitation, create_contact, soon, full_name="Ayşe Yılmaz")
    create_invitation(event=soon)  # pending: not this reminder's business
    create_invitation(event=soon, status="declined")

    assert send_scheduled_reminders() == 2
    assert send_scheduled_reminders() == 0  # once
    assert {r.invitation_id for r in _rows()} == {arabic.invitation.id, turkish.invitation.id}

    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}
    assert set(messages) == {arabic.invitation.contact.email, turkish.invitation.contact.email}

    message = messages[arabic.invitation.contact.email]
    assert "Şehir Dayanıklılığı Çalıştayı" in message["Subject"]
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "محمد العلي" in text
    # where, with a map link; the agenda
    assert "Halaskargazi Cd. 1, Şişli" in text
    assert "https://www.openstreetmap.org/search?query=Halaskargazi" in text
    assert "Deprem sonrası barınma" in text and "Deprem sonrası barınma" in html
    # the QR code (its own code) and the calendar entry
    parts = [(p.get_content_type(), p) for p in message.walk()]
    pngs = [p for t, p in parts if t == "image/png"]
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(pngs[0].get_content())))
    assert result.text == arabic.checkin_code
    (calendar,) = [p for t, p in parts if t == "text/calendar"]
    assert "PARTSTAT=ACCEPTED" in calendar.get_content()

    turkish_text = messages[turkish.invitation.contact.email].get_body(preferencelist=("plain",))
    assert "Ayşe Yılmaz" in turkish_text.get_content()


def test_not_to_the_checked_in_nor_to_those_who_declined_since(
    app, stub_worker, soon, create_invitation, create_contact
):
    inside = accepted(create_invitation, create_contact, soon)
    db.session.add(CheckIn(event_id=soon.id, invitation_id=inside.invitation.id, day=date.today()))
    changed_mind = accepted(create_invitation, create_contact, soon)
    checked_in_later = accepted(create_invitation, create_contact, soon)
    db.session.commit()

    assert send_scheduled_reminders() == 2  # not the one checked in
    # after the clock queued them, before the worker got to them:
    changed_mind.invitation.status = InvitationStatus.declined
    db.session.add(
        CheckIn(event_id=soon.id, invitation_id=checked_in_later.invitation.id, day=date.today())
    )
    db.session.commit()
    stub_worker.drain()
    assert stub_worker.messages() == []
    assert {r.status for r in _rows()} == {OutboxStatus.skipped}


def test_the_window_and_the_setting(
    app, stub_worker, create_event, create_invitation, create_contact
):
    now = utcnow().replace(microsecond=0)
    later = create_event(starts_at=now + timedelta(hours=30))  # 24-hour window not open yet
    none = create_event(starts_at=now + timedelta(hours=2), reminder_hours=sa.null())
    two_days = create_event(starts_at=now + timedelta(hours=40), reminder_hours=48)
    started = create_event(starts_at=now - timedelta(hours=1))
    for event in (later, none, two_days, started):
        accepted(create_invitation, create_contact, event)
    # accepted an hour ago, after the reminder was due: the confirmation said it all
    late = create_invitation(event=two_days, status="accepted", responded_at=now)

    assert send_scheduled_reminders() == 1
    (row,) = _rows()
    assert row.invitation.event_id == two_days.id and row.invitation_id != late.invitation.id
    assert send_scheduled_reminders(now + timedelta(hours=7)) == 1  # the 30-hour one's turn
    assert send_scheduled_reminders(now + timedelta(hours=8)) == 0


def test_a_new_start_is_announced_once_more(
    app, stub_worker, soon, create_invitation, create_contact
):
    new = accepted(create_invitation, create_contact, soon)
    assert send_scheduled_reminders() == 1
    soon.starts_at = soon.starts_at + timedelta(hours=2)
    soon.ends_at = soon.ends_at + timedelta(hours=2)
    db.session.commit()
    assert send_scheduled_reminders() == 1
    stub_worker.drain()
    first, second = _rows()
    assert first.status == OutboxStatus.skipped  # announced the old start
    assert second.status == OutboxStatus.sent and second.invitation_id == new.invitation.id


def test_reminder_hours_through_the_api(api):
    client = api("organiser")
    body = {
        "title": "Forum",
        "kind": "forum",
        "level": "national",
        "starts_at": "2031-05-14T10:00",
        "ends_at": "2031-05-14T17:00",
    }
    created = client.post("/api/v1/events", json=body)
    assert created.status_code == 201 and created.json["reminder_hours"] == 24
    url = f"/api/v1/events/{created.json['id']}"
    assert client.patch(url, json={"reminder_hours": 48}).json["reminder_hours"] == 48
    assert client.patch(url, json={"reminder_hours": None}).json["reminder_hours"] is None
    for bad in (0, 721, -3, "soon", True, 2.5):
        answer = client.patch(url, json={"reminder_hours": bad})
        assert answer.status_code == 422, bad
        assert "reminder_hours" in answer.json["error"]["fields"]
    with_none = client.post("/api/v1/events", json={**body, "reminder_hours": None})
    assert with_none.json["reminder_hours"] is None


def test_reminder_hours_in_the_form(app, client, auth, create_event):
    from tests.support.forms import post_form

    auth.login("organiser")
    event = create_event(status="draft", starts_at=utcnow().replace(tzinfo=UTC) + timedelta(days=9))
    page = client.get(f"/events/{event.id}/edit")
    assert 'name="reminder_hours"' in page.text and 'value="24"' in page.text
    form = {
        "title": event.title,
        "kind": "forum",
        "level": "regional",
        "starts_at": event.local_starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": event.local_ends_at.strftime("%Y-%m-%dT%H:%M"),
        "timezone": event.timezone,
        "reminder_hours": "",
    }
    assert post_form(client, f"/events/{event.id}/edit", form).status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(type(event), event.id).reminder_hours is None
    answer = post_form(client, f"/events/{event.id}/edit", {**form, "reminder_hours": "900"})
    assert answer.status_code == 422
