"""Venue notes and agenda session titles reach each invitee in their language — the invitation,
the confirmation, the reminder, the itinerary (through a real worker), their calendar entries
parsed, the RSVP page, the public programme and its feed — and the default language's where
there is no translation; the invitation preview and confirmation say who gets the default."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation
from reslog_events.invitations.operations import rsvp_token_of
from reslog_events.invitations.reminders import send_scheduled_reminders
from reslog_events.programme.models import AgendaSession
from tests.invitations import ics
from tests.support.forms import csrf_token, post_form

TR_TITLE, AR_TITLE = "Göç ve Kent Forumu", "منتدى الهجرة والمدينة"
TR_NOTES = "Giriş bahçeden, 2. kat — Şişli Kültür Merkezi"
AR_NOTES = "المدخل من الحديقة، الطابق الثاني"
TR_OPENING, AR_OPENING = "Açılış: Sarıçam ve Reyhanlı", "الافتتاح: ساريتشام والريحانية"
TR_PANEL = "Çukurova paneli"  # no Arabic title: Arabic readers get this one


@pytest.fixture
def forum(create_event):
    starts = utcnow().replace(microsecond=0, second=0) + timedelta(hours=20)
    event = create_event(
        title=TR_TITLE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        languages=["tr", "ar", "en"],
        venue_notes=TR_NOTES,
        translations={"ar": {"title": AR_TITLE, "description": "", "venue_notes": AR_NOTES}},
    )
    for hours, title, translations in (
        (1, TR_OPENING, {"ar": {"title": AR_OPENING}}),
        (3, TR_PANEL, {}),
    ):
        db.session.add(
            AgendaSession(
                event_id=event.id,
                title=title,
                translations=translations,
                starts_at=starts + timedelta(hours=hours),
                ends_at=starts + timedelta(hours=hours + 1),
            )
        )
    db.session.commit()
    return event


def _parts(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def _vevent(message):
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    raw = part.get_content().encode("utf-8").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return ics.parse(raw).sub("VEVENT")[0]


def _text(vevent, name: str) -> str:
    """A TEXT property's value unescaped (RFC 5545 3.3.11)."""
    value = vevent.value(name) or ""
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")


def _check_arabic(text: str) -> None:
    assert AR_NOTES in text and AR_OPENING in text
    assert TR_PANEL in text  # the session without an Arabic title: the default one
    assert TR_NOTES not in text and TR_OPENING not in text


def _check_default(text: str) -> None:
    assert TR_NOTES in text and TR_OPENING in text and TR_PANEL in text
    assert AR_NOTES not in text and AR_OPENING not in text


def test_invitation_confirmation_and_page_per_language(
    api, stub_worker, forum, create_contact, client, forget_locale
):
    arabic = create_contact(full_name="Rasha Haddad", email="rasha@example.org", language="ar")
    swedish = create_contact(full_name="Karin Berg", email="karin@example.org", language="sv")
    resp = api("organiser").post(
        f"/api/v1/events/{forum.id}/invitations", json={"contact_ids": [arabic.id, swedish.id]}
    )
    assert resp.status_code == 202, resp.json
    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}
    for text in _parts(messages[arabic.email]):
        _check_arabic(text)
    assert AR_NOTES in _text(_vevent(messages[arabic.email]), "DESCRIPTION")
    for text in _parts(messages[swedish.email]):  # Swedish: not one of the event's languages
        _check_default(text)
    assert TR_NOTES in _text(_vevent(messages[swedish.email]), "DESCRIPTION")

    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.contact_id == arabic.id))
    token = rsvp_token_of(invitation)
    forget_locale()
    page = client.get(f"/rsvp/{token}").get_data(as_text=True)
    _check_arabic(page)
    answer = post_form(client, f"/rsvp/{token}", {"response": "accept", "consent_data": "1"})
    assert answer.status_code in (200, 303)
    stub_worker.drain()
    (confirmation,) = [m for m in stub_worker.messages() if "confirmation" in m["X-RESLOG-Kind"]]
    plain, html = _parts(confirmation)
    assert AR_NOTES in plain and AR_NOTES in html and TR_NOTES not in plain + html
    assert AR_NOTES in _text(_vevent(confirmation), "DESCRIPTION")


def test_reminder_per_language(stub_worker, forum, create_invitation, create_contact):
    for contact in (
        create_contact(full_name="محمد العلي", email="m@example.org", language="ar"),
        create_contact(full_name="Ayşe Yılmaz", email="a@example.org", language="tr"),
    ):
        create_invitation(event=forum, contact=contact, status="accepted")
    assert send_scheduled_reminders() == 2
    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}
    for text in _parts(messages["m@example.org"]):
        _check_arabic(text)
    for text in _parts(messages["a@example.org"]):
        _check_default(text)


def test_itinerary_session_titles_in_the_members_language(
    api, stub_worker, forum, create_invitation, create_contact
):
    contact = create_contact(full_name="Rasha Haddad", email="rasha@example.org", language="ar")
    invitation = create_invitation(event=forum, contact=contact, status="accepted").invitation
    org = api("organiser")
    resp = org.post(f"/api/v1/events/{forum.id}/delegation", json={"invitation_id": invitation.id})
    assert resp.status_code == 201, resp.json
    assert org.post(f"/api/v1/events/{forum.id}/itinerary/send", json={}).status_code == 202
    stub_worker.drain()
    (message,) = stub_worker.messages()
    for text in _parts(message):
        _check_arabic(text)
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    raw = part.get_content().encode("utf-8").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    summaries = {v.value("SUMMARY") for v in ics.parse(raw).sub("VEVENT")}
    assert summaries == {AR_OPENING, TR_PANEL}


def test_public_programme_and_feed_per_language(client, forum):
    forum.is_public = True
    forum.published_at = forum.created_at
    db.session.commit()
    page = client.get(f"/programme/{forum.id}?lang=ar").get_data(as_text=True)
    _check_arabic(page)
    page = client.get(f"/programme/{forum.id}?lang=sv").get_data(as_text=True)
    _check_default(page)
    feed = ics.parse(client.get("/feeds/public.ics?lang=ar").data).sub("VEVENT")[0]
    assert AR_NOTES in _text(feed, "DESCRIPTION")
    feed = ics.parse(client.get("/feeds/public.ics").data).sub("VEVENT")[0]
    assert TR_NOTES in _text(feed, "DESCRIPTION")


def test_preview_and_confirmation_count_fallbacks_per_language(client, auth, forum, create_contact):
    arabic = [create_contact(language="ar") for _ in range(23)]
    turkish = [create_contact(language="tr") for _ in range(2)]
    auth.login("organiser")
    ids = [c.id for c in (*arabic, *turkish)]
    resp = client.post(
        f"/events/{forum.id}/invitations/confirm?lang=en",
        data={
            "csrf_token": csrf_token(client, f"/events/{forum.id}/invitations/new"),
            "contact_ids": [str(i) for i in ids],
        },
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    # Arabic: the title and venue notes are there, one session title is not
    assert "23 invitees who read Arabic will get these in English: 1 agenda session title." in html
    assert (
        "2 invitees who read Turkish will get these in English: the title and description, "
        "the venue notes, 2 agenda session titles." in html
    )
    # the preview of the Arabic email says it too, in Arabic, with the Arabic venue notes
    preview = client.get(f"/events/{forum.id}/invitations/preview?lang=ar").get_data(as_text=True)
    assert 'class="preview-fallback"' in preview and AR_NOTES in preview
    assert "عنوان جلسة واحد" in preview
