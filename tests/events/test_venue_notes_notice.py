"""Venue notes ("Getting there") are in every email and in the calendar entry's DESCRIPTION, so
a published event's new notes reach the invitees as a new time or place does: an update with the
same UID and a higher SEQUENCE, after a confirmation in the form. Only invitees whose language's
notes changed hear of it: new Arabic notes leave the Turkish invitees' calendar as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from reslog_events.directory.models import Contact
from reslog_events.events.models import Event
from reslog_events.extensions import db
from reslog_events.invitations.calendar import calendar_uid
from reslog_events.invitations.models import Invitation
from reslog_events.mail.models import OutgoingEmail
from reslog_events.mail.outbox import queue_email
from tests.events.test_pages import form, html
from tests.invitations import ics
from tests.invitations.test_emails import START, _by_address, _calendar, _invite
from tests.support.forms import post_form


def _updates() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.kind == "update")))


@pytest.fixture
def invited(api, stub_worker, create_event, create_contact):
    """A published event with Turkish, Arabic and English invitees who got their invitation;
    its notes in the default language and in Arabic."""
    event = create_event(
        title="Göç ve Kent Forumu",
        starts_at=START,
        ends_at=START + timedelta(hours=6),
        languages=["tr", "ar", "en"],
        venue_notes="Bahçe kapısından girin.",
        translations={
            "ar": {"title": "منتدى الهجرة والمدينة", "venue_notes": "الدخول من الحديقة."}
        },
    )
    people = {
        language: create_contact(email=f"{language}@example.org", language=language)
        for language in ("tr", "ar", "en")
    }
    _invite(api, event, list(people.values()))
    stub_worker.drain()
    return event


def _new_updates(stub_worker) -> dict:
    return _by_address(m for m in stub_worker.messages() if "update" in m["X-RESLOG-Kind"])


def test_new_arabic_notes_reach_the_arabic_invitee_only(api, stub_worker, invited):
    sequence = invited.sequence
    translations = {"ar": {"title": "منتدى الهجرة والمدينة", "venue_notes": "الطابق الثاني."}}
    resp = api("organiser").patch(
        f"/api/v1/events/{invited.id}", json={"translations": translations}
    )
    assert resp.status_code == 200, resp.json
    stub_worker.drain()
    updates = _new_updates(stub_worker)
    assert set(updates) == {"ar@example.org"}
    db.session.expire_all()
    assert invited.sequence == sequence + 1
    _part, cal = _calendar(updates["ar@example.org"])
    vevent = cal.sub("VEVENT")[0]
    invitation = db.session.scalar(
        sa.select(Invitation)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(Invitation.event_id == invited.id, Contact.email == "ar@example.org")
    )
    assert vevent.value("UID") == calendar_uid(invitation)
    assert vevent.value("SEQUENCE") == str(sequence + 1)
    assert "الطابق الثاني." in ics.unescape(vevent.value("DESCRIPTION"))
    text = updates["ar@example.org"].get_body(("plain",)).get_content()
    assert "الطابق الثاني." in text


def test_new_default_notes_reach_those_without_their_own(api, stub_worker, invited):
    resp = api("organiser").patch(
        f"/api/v1/events/{invited.id}", json={"venue_notes": "Ana kapıdan girin, 2. kat."}
    )
    assert resp.status_code == 200, resp.json
    stub_worker.drain()
    updates = _new_updates(stub_worker)
    # the Arabic invitee reads the Arabic notes, which did not change
    assert set(updates) == {"tr@example.org", "en@example.org"}
    text = updates["tr@example.org"].get_body(("plain",)).get_content()
    assert "Ana kapıdan girin, 2. kat." in text and "(yeni)" in text
    _part, cal = _calendar(updates["en@example.org"])
    assert "Ana kapıdan girin" in ics.unescape(cal.sub("VEVENT")[0].value("DESCRIPTION"))


def test_the_same_notes_again_or_a_draft_send_nothing(api, stub_worker, invited, create_event):
    sequence = invited.sequence
    same = api("organiser").patch(
        f"/api/v1/events/{invited.id}", json={"venue_notes": "  Bahçe kapısından girin.  "}
    )
    assert same.status_code == 200
    draft = create_event(status="draft")
    assert (
        api("organiser")
        .patch(f"/api/v1/events/{draft.id}", json={"venue_notes": "Yeni not"})
        .status_code
        == 200
    )
    stub_worker.drain()
    assert _new_updates(stub_worker) == {}
    db.session.expire_all()
    assert invited.sequence == sequence


@pytest.fixture
def published(client, auth, create_contact, create_invitation):
    """A published event made with the form, with a Turkish and an Arabic invitee."""
    auth.login("organiser")
    data = form(languages=["tr", "ar"], venue_notes="Bahçe kapısı")
    assert post_form(client, "/events/new", data).status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert post_form(client, f"/events/{event.id}/publish", {}).status_code == 302
    for name, language in (("Ayşe Çukurova", "tr"), ("رشا حداد", "ar")):
        contact = create_contact(full_name=name, language=language)
        queue_email("invitation", invitation=create_invitation(event, contact).invitation)
    db.session.commit()
    return event


def test_the_form_asks_first_naming_only_those_notified(client, published):
    edit = f"/events/{published.id}/edit?lang=tr"
    changed = form(
        languages=["tr", "ar"],
        venue_notes="Bahçe kapısı",
        title_ar="زيارة بوتشيركا",
        venue_notes_ar="الباب الخلفي",
    )
    resp = post_form(client, edit, changed)
    page = html(resp)
    assert resp.status_code == 200 and "confirm_notify" in page
    assert _updates() == []  # nothing queued before the confirmation
    assert "1 davetliye değişiklik bildirilecek" in page
    assert "رشا حداد" in page and "Ayşe Çukurova" not in page
    assert "Mekân notları (العربية)" in page and "الباب الخلفي" in page
    saved = post_form(client, edit, {**changed, "confirm_notify": "1"})
    assert saved.status_code == 302
    assert [e.language for e in _updates()] == ["ar"]
    follow = html(client.get(saved.headers["Location"]))
    assert "Davetliler güncellenmiş bir takvim kaydı alacak." in follow


def test_the_list_of_those_notified_follows_the_languages(
    client, published, create_contact, create_invitation
):
    for n in range(25):
        contact = create_contact(full_name=f"مدعو {n:02d}", language="ar")
        queue_email("invitation", invitation=create_invitation(published, contact).invitation)
    db.session.commit()
    changed = form(
        languages=["tr", "ar"],
        venue_notes="Bahçe kapısı",
        title_ar="زيارة بوتشيركا",
        venue_notes_ar="الباب الخلفي",
    )
    confirm = html(post_form(client, f"/events/{published.id}/edit", changed))
    link = f"/events/{published.id}/notified?languages=ar"
    assert link in confirm and "and 6 more" in confirm
    listed = html(client.get(link + "&lang=tr"))
    assert listed.count("<li><bdi>") == 26 and "Ayşe Çukurova" not in listed
    assert "yalnızca kendi dillerindeki notları değişen" in listed
    everyone = html(client.get(f"/events/{published.id}/notified?languages=xx"))
    assert everyone.count("<li><bdi>") == 27  # an unknown language: everyone


def test_the_form_s_hints_name_venue_notes(client, published):
    """The published event's form, its publish confirmation and the list of those notified say
    that venue notes send an update too, as a new time or place does (docs/delivery.md)."""
    page = html(client.get(f"/events/{published.id}/edit"))
    assert "if you change its time, place or venue notes, 2 invitees" in page
    assert "only if the notes in their language change" in page
    turkish = html(client.get(f"/events/{published.id}/edit?lang=tr"))
    assert "saatini, yerini veya mekân notlarını değiştirirseniz" in turkish
    listed = html(client.get(f"/events/{published.id}/notified?lang=tr"))
    assert "zamanı, yeri ya da mekân notları değiştiğinde" in listed
