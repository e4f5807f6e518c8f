"""Certificates per event: off, on request, or emailed to every participant when the event ends
(by the clock, once each); and the organisers' ZIP of them all."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from reslog_events.certificates.mailing import send_certificates
from reslog_events.checkin.models import CheckIn
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.mail.models import OutboxStatus, OutgoingEmail


@pytest.fixture
def just_ended(create_event):
    """A two-day forum that ended an hour ago, emailing its certificates."""
    ends = utcnow().replace(microsecond=0) - timedelta(hours=1)
    return create_event(
        title="Sarıçam Akran Ziyareti",
        starts_at=ends - timedelta(days=1, hours=8),
        ends_at=ends,
        certificates="emailed",
    )


def came(create_invitation, create_contact, event, days, **contact):
    new = create_invitation(event=event, contact=create_contact(**contact), status="accepted")
    for day in days:
        db.session.add(CheckIn(event_id=event.id, invitation_id=new.invitation.id, day=day))
    db.session.commit()
    return new


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_emailed_once_to_every_participant_when_the_event_ends(
    app, stub_worker, just_ended, create_invitation, create_contact
):
    day = just_ended.local_starts_at.date()
    ayse = came(create_invitation, create_contact, just_ended, [day], full_name="Ayşe Yılmaz")
    mohammed = came(
        create_invitation,
        create_contact,
        just_ended,
        [day, day + timedelta(days=1)],
        full_name="محمد العلي",
        language="ar",
    )
    create_invitation(event=just_ended, status="accepted")  # a no-show: nothing

    assert send_certificates() == 2
    assert send_certificates() == 0  # once
    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}
    assert set(messages) == {ayse.invitation.contact.email, mohammed.invitation.contact.email}
    arabic = messages[mohammed.invitation.contact.email]
    (pdf,) = [p for p in arabic.walk() if p.get_content_type() == "application/pdf"]
    text = _text(pdf.get_content())
    assert "محمد العلي" in text and "Sarıçam Akran Ziyareti" in text
    body = arabic.get_body(preferencelist=("plain",)).get_content()
    assert f"{app.config['PUBLIC_BASE_URL']}/verify/" in body
    turkish = messages[ayse.invitation.contact.email]
    (pdf,) = [p for p in turkish.walk() if p.get_content_type() == "application/pdf"]
    assert "Ayşe Yılmaz" in _text(pdf.get_content())


def test_not_emailed_on_request_or_before_the_end(
    app, create_event, create_invitation, create_contact
):
    ended = create_event(
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC), certificates="on_request"
    )
    came(create_invitation, create_contact, ended, [date(2026, 3, 14)])
    running = create_event(starts_at=utcnow() - timedelta(hours=1), certificates="emailed")
    came(create_invitation, create_contact, running, [utcnow().date()])
    assert send_certificates() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)) == 0


def test_revoked_after_queueing_is_skipped(
    app, stub_worker, just_ended, create_invitation, create_contact
):
    new = came(create_invitation, create_contact, just_ended, [just_ended.local_starts_at.date()])
    assert send_certificates() == 1
    new.invitation.status = "revoked"
    db.session.commit()
    stub_worker.drain()
    assert stub_worker.messages() == []
    (row,) = db.session.scalars(sa.select(OutgoingEmail)).all()
    assert row.status == OutboxStatus.skipped


def test_off_means_no_certificate(client, create_event, create_invitation, create_contact):
    ended = create_event(starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC), certificates="off")
    new = came(create_invitation, create_contact, ended, [date(2026, 3, 14)])
    assert client.get(f"/rsvp/{new.rsvp_token}/certificate.pdf").status_code == 404
    assert "certificate.pdf" not in client.get(f"/rsvp/{new.rsvp_token}").get_data(as_text=True)


def test_the_organisers_zip(client, auth, create_event, create_invitation, create_contact):
    ended = create_event(starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC))
    came(create_invitation, create_contact, ended, [date(2026, 3, 14)], full_name="Ayşe Yılmaz")
    came(create_invitation, create_contact, ended, [date(2026, 3, 14)], full_name="محمد العلي")
    create_invitation(event=ended, status="accepted")  # did not come
    url = f"/events/{ended.id}/certificates.zip"
    auth.login("staff")
    assert client.get(url).status_code in (302, 403)
    auth.logout()
    auth.login("organiser")
    answer = client.get(url)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    names = sorted(archive.namelist())
    assert len(names) == 2
    texts = [_text(archive.read(name)) for name in names]
    assert any("Ayşe Yılmaz" in t for t in texts) and any("محمد العلي" in t for t in texts)
    # not before the end
    future = create_event()
    assert client.get(f"/events/{future.id}/certificates.zip").status_code == 303


def test_the_setting_in_the_api(api):
    client = api("organiser")
    body = {
        "title": "Forum",
        "kind": "forum",
        "level": "national",
        "starts_at": "2031-05-14T10:00",
        "ends_at": "2031-05-14T17:00",
    }
    created = client.post("/api/v1/events", json=body).json
    assert created["certificates"] == "on_request"
    url = f"/api/v1/events/{created['id']}"
    assert client.patch(url, json={"certificates": "emailed"}).json["certificates"] == "emailed"
    assert client.patch(url, json={"certificates": "sometimes"}).status_code == 422
    assert client.patch(url, json={"certificates": None}).status_code == 422
