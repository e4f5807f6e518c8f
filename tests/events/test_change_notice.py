"""A published event's new time or place, changed in the form: before anything is saved the
organiser sees who will be notified (per answer and language, names page by page) and the email
they will get, and confirms. The API notifies at once, as the contract says."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from reslog_events.events.models import Event
from reslog_events.extensions import db
from reslog_events.mail.models import OutgoingEmail
from reslog_events.mail.outbox import queue_email
from tests.events.test_pages import form, html
from tests.support.forms import post_form


def _updates() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.kind == "update")))


@pytest.fixture
def published(client, auth, create_contact, create_organisation, create_invitation):
    """A published event (made with the form) with invitees who heard of it: two in Turkish,
    one in Arabic; one who declined and one whose invitation never went out."""
    auth.login("organiser")
    assert post_form(client, "/events/new", form()).status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert post_form(client, f"/events/{event.id}/publish", {}).status_code == 302
    sarıçam = create_organisation(name="Sarıçam Belediyesi")
    people = [
        ("Ayşe Çukurova", "tr", "accepted"),
        ("Mehmet Şişli", "tr", "pending"),
        ("رشا حداد", "ar", "accepted"),
        ("Reddeden Kişi", "tr", "declined"),
    ]
    for name, language, status in people:
        contact = create_contact(full_name=name, language=language, organisation=sarıçam)
        queue_email("invitation", invitation=create_invitation(event, contact, status).invitation)
    create_invitation(event, create_contact(full_name="Hiç Gitmedi"))
    db.session.commit()
    return event


def test_a_new_time_asks_first_and_saves_nothing(client, published):
    edit = f"/events/{published.id}/edit?lang=tr"
    resp = post_form(client, edit, form(starts_at="2031-09-16T10:30"))
    page = html(resp)
    assert resp.status_code == 200 and "confirm_notify" in page
    db.session.expire_all()
    assert published.local_starts_at.strftime("%H:%M") == "09:00"  # nothing saved yet
    assert _updates() == []  # and nothing queued
    assert "3 davetliye değişiklik bildirilecek" in page
    assert "Katılacak: 2</dd>" in page and "Henüz yanıt yok: 1</dd>" in page
    assert "Türkçe</span>: 2" in page and "العربية</span>: 1" in page
    assert "Ayşe Çukurova" in page and "Mehmet Şişli" in page and "رشا حداد" in page
    assert "Reddeden Kişi" not in page and "Hiç Gitmedi" not in page
    # what they will get: the update email in each of their languages
    assert "Değişiklik: Akran Ziyareti: Botkyrka" in page
    assert "تعديل: Akran Ziyareti: Botkyrka" in page
    # now, and after saving (in the event's zone); the email has the new time
    assert re.search(r"<td><bdi>[^<]*09[:.]00", page)
    assert re.search(r"<td><strong><bdi>[^<]*10[:.]30", page)
    assert re.search(r"Ne zaman: [^\n]*10[:.]30", page)
    assert "Kaydet ve 3 davetliye bildir" in page
    # every field of the form travels on, so that confirming saves what was typed
    assert 'name="starts_at" value="2031-09-16T10:30"' in page
    assert page.count('name="languages"') == 3

    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    again = {**form(starts_at="2031-09-16T10:30"), "confirm_notify": "1"}
    assert fields["title"] == again["title"]
    saved = post_form(client, edit, again)
    assert saved.status_code == 302
    db.session.expire_all()
    assert published.local_starts_at.strftime("%H:%M") == "10:30"
    assert sorted(e.language for e in _updates()) == ["ar", "tr", "tr"]


def test_back_to_the_form_keeps_what_was_typed(client, published):
    resp = post_form(
        client, f"/events/{published.id}/edit", {**form(venue="Tumba bibliotek"), "back": "1"}
    )
    assert resp.status_code == 200 and 'value="Tumba bibliotek"' in html(resp)
    db.session.expire_all()
    assert published.venue == "Botkyrka kommunhus" and _updates() == []


def test_other_changes_and_drafts_are_saved_at_once(client, published, create_event):
    resp = post_form(client, f"/events/{published.id}/edit", form(title="Yeni Başlık"))
    assert resp.status_code == 302 and _updates() == []
    draft = post_form(client, "/events/new", form(title="Taslak"))
    draft_id = int(draft.headers["Location"].rsplit("/", 1)[1])
    moved = post_form(client, f"/events/{draft_id}/edit", form(starts_at="2031-09-16T11:00"))
    assert moved.status_code == 302


def test_nobody_to_notify_asks_nothing(client, auth, create_event):
    auth.login("organiser")
    assert post_form(client, "/events/new", form()).status_code == 302
    event = db.session.scalar(sa.select(Event))
    post_form(client, f"/events/{event.id}/publish", {})
    resp = post_form(client, f"/events/{event.id}/edit", form(city="Stockholm"))
    assert resp.status_code == 302


def test_the_list_of_those_notified_is_paged(client, published, create_contact, create_invitation):
    for n in range(52):
        contact = create_contact(full_name=f"Davetli {n:02d}")
        queue_email("invitation", invitation=create_invitation(published, contact).invitation)
    db.session.commit()
    first = html(client.get(f"/events/{published.id}/notified"))
    second = html(client.get(f"/events/{published.id}/notified?page=2"))
    assert first.count("<li><bdi>") == 50 and second.count("<li><bdi>") == 5
    assert "Davetli 00" in first and "Reddeden Kişi" not in first + second
    confirm = html(post_form(client, f"/events/{published.id}/edit", form(city="Huddinge")))
    assert f"/events/{published.id}/notified" in confirm and "and 35 more" in confirm


def test_the_api_notifies_at_once(api, published):
    resp = api("organiser").patch(
        f"/api/v1/events/{published.id}", json={"venue": "Tumba bibliotek"}
    )
    assert resp.status_code == 200
    assert len(_updates()) == 3
