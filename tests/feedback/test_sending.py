"""Sending the survey: by the clock once the event has ended, once per participant, only to
those who checked in; "send now" with the count and a confirmation; the email in the
participant's language with a personal link."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.feedback.models import FeedbackRequest
from reslog_events.feedback.operations import KIND, send_due_surveys
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from tests.support.forms import post_form


def _queued() -> list[OutgoingEmail]:
    return list(db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.kind == KIND)))


def test_the_clock_sends_once_to_those_who_attended(
    app, stub_worker, ended, survey, participant, create_invitation
):
    ayse = participant(full_name="Ayşe Çukurova", language="tr")
    omar = participant(full_name="عمر الحلبي", language="ar")
    # admitted anyway at the door after declining: attended, so asked
    walked = participant(status="declined", language="sv")
    participant(came=False)  # a no-show
    participant(came=False, status="declined")  # declined and did not come
    participant(status="revoked")  # revoked after the check-in: never
    create_invitation(event=ended, status="pending")

    assert send_due_surveys() == 3
    assert send_due_surveys() == 0  # once
    addresses = {e.to_address for e in _queued()}
    assert addresses == {
        ayse.invitation.contact.email,
        omar.invitation.contact.email,
        walked.invitation.contact.email,
    }
    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}
    arabic = messages[omar.invitation.contact.email]
    assert arabic["Subject"] == "رأيك في ورشة الصمود في ساريتشام"
    body = arabic.get_body(preferencelist=("plain",)).get_content()
    assert "عمر الحلبي" in body
    (link,) = re.findall(r"http://rsvp\.test/feedback/[A-Za-z0-9_-]+", body)
    html = arabic.get_body(preferencelist=("html",)).get_content()
    assert 'dir="rtl"' in html and link in html
    turkish = messages[ayse.invitation.contact.email]
    assert "Sarıçam Dayanıklılık Çalıştayı" in turkish["Subject"]
    (other,) = re.findall(
        r"http://rsvp\.test/feedback/[A-Za-z0-9_-]+",
        turkish.get_content()
        if not turkish.is_multipart()
        else turkish.get_body(preferencelist=("plain",)).get_content(),
    )
    assert other != link  # a personal link each


def test_not_sent_before_the_end_nor_when_switched_off_or_manual(
    app, api, create_event, participant, ended, survey
):
    running = create_event(starts_at=utcnow() - timedelta(hours=1), languages=["tr"])
    api("organiser").open("PUT", f"/api/v1/events/{running.id}/feedback", json={})
    participant(event=running)
    old = create_event(starts_at=utcnow() - timedelta(days=40))
    api("organiser").open("PUT", f"/api/v1/events/{old.id}/feedback", json={})
    participant(event=old)
    participant()
    api("organiser").open("PUT", f"/api/v1/events/{ended.id}/feedback", json={"send_at_end": False})
    assert send_due_surveys() == 0
    api("organiser").open("PUT", f"/api/v1/events/{ended.id}/feedback", json={"enabled": False})
    resp = api("organiser").post(f"/api/v1/events/{ended.id}/feedback/send")
    assert resp.status_code == 409 and resp.json["error"]["code"] == "survey_off"
    assert _queued() == []


def test_send_now_shows_the_count_then_sends_once(client, auth, ended, survey, participant):
    participant()
    participant()
    participant(came=False)
    auth.login("organiser")
    page = client.get(f"/events/{ended.id}/feedback/send")
    assert "2 participants will get the survey by email." in page.get_data(as_text=True)
    assert _queued() == []  # nothing before the confirmation
    resp = post_form(client, f"/events/{ended.id}/feedback/send", {})
    assert resp.status_code == 303
    assert len(_queued()) == 2
    page = client.get(f"/events/{ended.id}/feedback/send")
    assert "has been sent the survey already" in page.get_data(as_text=True)
    post_form(client, f"/events/{ended.id}/feedback/send", {})
    assert len(_queued()) == 2  # nobody twice


def test_send_now_through_the_api_and_its_refusals(api, create_event, participant, ended, survey):
    participant()
    resp = api("organiser").post(f"/api/v1/events/{ended.id}/feedback/send")
    assert resp.status_code == 202 and resp.json == {"recipients": 1}
    assert api("organiser").post(f"/api/v1/events/{ended.id}/feedback/send").json == {
        "recipients": 0
    }
    later = create_event()
    api("organiser").open("PUT", f"/api/v1/events/{later.id}/feedback", json={})
    resp = api("organiser").post(f"/api/v1/events/{later.id}/feedback/send")
    assert resp.status_code == 409 and resp.json["error"]["code"] == "not_started"
    none = create_event(starts_at=utcnow() - timedelta(days=1))
    resp = api("organiser").post(f"/api/v1/events/{none.id}/feedback/send")
    assert resp.status_code == 409 and resp.json["error"]["code"] == "survey_off"


def test_an_email_no_longer_due_is_skipped(app, stub_worker, ended, survey, participant):
    new = participant()
    assert send_due_surveys() == 1
    row = db.session.scalars(sa.select(FeedbackRequest)).one()
    row.answered = True  # answered meanwhile (e.g. a resent link)
    db.session.commit()
    stub_worker.drain()
    assert stub_worker.messages() == []
    (email,) = _queued()
    assert email.status == OutboxStatus.skipped
    assert new.invitation.id == row.invitation_id
