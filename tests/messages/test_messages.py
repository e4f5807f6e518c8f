"""Messages to a group: each audience reaches exactly its people (attended and no-shows as the
attendance report counts them), per language with the fallback, through the outbox; the page
previews and counts before anything is sent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.checkin.models import CheckIn
from reslog_events.extensions import db
from reslog_events.mail.models import OutgoingEmail
from tests.support.forms import post_form

DAY = date(2026, 3, 14)


@pytest.fixture
def event(create_event):
    return create_event(
        title="Göç ve Yerel Yönetim Forumu",
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 14, 14, 0, tzinfo=UTC),
        languages=["tr", "ar"],
    )


@pytest.fixture
def people(event, create_invitation, create_contact):
    """One invitation per situation, by name."""

    def invite(status, came=False, language="tr", **contact):
        new = create_invitation(
            event=event, contact=create_contact(language=language, **contact), status=status
        )
        if came:
            db.session.add(CheckIn(event_id=event.id, invitation_id=new.invitation.id, day=DAY))
            db.session.commit()
        return new.invitation.id

    return {
        "came": invite("accepted", came=True, language="ar"),
        "stayed_away": invite("accepted", language="sv"),
        "stayed_away_ar": invite("accepted", language="ar"),
        "pending": invite("pending"),
        "waiting": invite("waitlisted"),
        "declined": invite("declined"),
        "declined_but_came": invite("declined", came=True),
        "no_address": invite("accepted", email=None),
        "revoked": invite("revoked", came=True),
    }


EXPECTED = {
    "accepted": {"came", "stayed_away", "stayed_away_ar"},
    "attended": {"came", "declined_but_came"},
    "no_show": {"stayed_away", "stayed_away_ar"},
    "pending": {"pending"},
    "waitlisted": {"waiting"},
    "declined": {"declined", "declined_but_came"},
}


def _recipients(people) -> set[str]:
    by_id = {v: k for k, v in people.items()}
    rows = db.session.scalars(
        sa.select(OutgoingEmail.invitation_id).where(OutgoingEmail.kind == "event_message")
    )
    return {by_id[i] for i in rows}


@pytest.mark.parametrize("audience", sorted(EXPECTED))
def test_each_audience_reaches_exactly_its_people(api, event, people, audience):
    client = api("organiser")
    answer = client.post(
        f"/api/v1/events/{event.id}/messages",
        json={"audience": audience, "subject": "Bilgi", "body": "Merhaba"},
    )
    assert answer.status_code == 202, answer.json
    assert answer.json["recipients"] == len(EXPECTED[audience])
    assert _recipients(people) == EXPECTED[audience]
    (entry,) = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "event.message"))
    assert (
        entry.data["audience"] == audience and entry.data["recipients"] == answer.json["recipients"]
    )


def test_attended_and_no_shows_match_the_report(api, event, people):
    client = api("organiser")
    report = client.get(f"/api/v1/reports/attendance?event_id={event.id}&group_by=event").json
    # the no-show without an email address counts in the report but gets no email
    for audience, count, unreachable in (("attended", "attended", 0), ("no_show", "no_shows", 1)):
        sent = client.post(
            f"/api/v1/events/{event.id}/messages",
            json={"audience": audience, "subject": "S", "body": "B"},
        ).json["recipients"]
        assert sent + unreachable == report["totals"][count]


def test_per_language_texts_with_the_fallback(api, stub_worker, event, people):
    client = api("organiser")
    answer = client.post(
        f"/api/v1/events/{event.id}/messages",
        json={
            "audience": "accepted",
            "subject": {"tr": "Sunumlar hazır", "ar": "العروض جاهزة"},
            "body": {"tr": "Sunumları ekte bulabilirsiniz.", "ar": "تجدون العروض مرفقة."},
        },
    )
    assert answer.json["recipients"] == 3
    stub_worker.drain()
    by_subject = {}
    for message in stub_worker.messages():
        text = message.get_body(preferencelist=("plain",)).get_content()
        by_subject.setdefault(str(message["Subject"]), []).append(text)
    # two Arabic readers get Arabic; the Swedish reader gets the event's default (Turkish)
    assert len(by_subject["العروض جاهزة"]) == 2
    assert all("تجدون العروض مرفقة." in text for text in by_subject["العروض جاهزة"])
    (swedish,) = by_subject["Sunumlar hazır"]
    assert "Sunumları ekte bulabilirsiniz." in swedish


@pytest.mark.parametrize(
    "body",
    [
        {"audience": "everyone", "subject": "S", "body": "B"},
        {"audience": "accepted", "subject": "", "body": "B"},
        {"audience": "accepted", "subject": "S", "body": "   "},
        {"audience": "accepted", "subject": {"xx": "S"}, "body": "B"},
        {"audience": "accepted", "subject": {}, "body": "B"},
        {"audience": "accepted", "subject": {"tr": 3}, "body": "B"},
        {"audience": "accepted", "subject": "S" * 201, "body": "B"},
        {"audience": "accepted", "subject": "S\r\nBcc: x@example.org", "body": "B"},
        {"audience": "accepted", "subject": {"ar": "S\nS"}, "body": "B"},
        {"audience": "accepted", "subject": "S"},
    ],
)
def test_bad_bodies_are_422(api, event, people, body):
    answer = api("organiser").post(f"/api/v1/events/{event.id}/messages", json=body)
    assert answer.status_code == 422
    assert answer.json["error"]["fields"]
    assert _recipients(people) == set()


def test_cancelled_and_unknown_events(api, create_event):
    client = api("admin")
    cancelled = create_event(status="cancelled")
    body = {"audience": "accepted", "subject": "S", "body": "B"}
    assert client.post(f"/api/v1/events/{cancelled.id}/messages", json=body).status_code == 409
    assert client.post("/api/v1/events/999999/messages", json=body).status_code == 404


def test_the_page_counts_and_previews_before_sending(client, auth, event, people):
    auth.login("organiser")
    url = f"/events/{event.id}/messages"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert 'data-count="no_show">2 people' in page
    form = {
        "audience": "no_show",
        "subject": "Sizi özledik",
        "body": "Sunumlar ekte.",
        "subject_ar": "افتقدناكم",
        "body_ar": "العروض مرفقة.",
    }
    preview = post_form(client, url + "?lang=en", {**form, "action": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "2 people will get this email." in html
    assert "افتقدناكم" in html and "العروض مرفقة." in html  # the Arabic reader's
    assert "Sunumlar ekte." in html  # the Swedish reader falls back to Turkish
    assert _recipients(people) == set()  # nothing sent by the preview

    sent = post_form(client, url, {**form, "action": "send"})
    assert sent.status_code == 303
    assert _recipients(people) == EXPECTED["no_show"]
    assert "Sizi özledik" in client.get(url).get_data(as_text=True)


def test_the_page_shows_errors(client, auth, event, people):
    auth.login("admin")
    url = f"/events/{event.id}/messages"
    answer = post_form(client, url, {"audience": "accepted", "subject": "", "action": "preview"})
    assert answer.status_code == 422
    back = post_form(client, url, {"audience": "declined", "subject": "Konu", "action": "edit"})
    assert back.status_code == 200 and 'value="Konu"' in back.get_data(as_text=True)
    assert _recipients(people) == set()
