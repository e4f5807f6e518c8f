"""Event content in several languages: the API, the form, and what each invitee receives —
the invitation and the confirmation (from the outbox, through a real worker), the calendar
entry parsed, the RSVP page — in their language, with the default text as the fallback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation
from reslog_events.invitations.operations import rsvp_token_of
from tests.invitations import ics
from tests.support.forms import post_form

START = datetime(2031, 3, 4, 7, 0, tzinfo=UTC)
TR_TITLE, TR_TEXT = "Göç ve Kent Forumu", "Şişli ve Sarıçam deneyimleri."
AR_TITLE, AR_TEXT = "منتدى الهجرة والمدينة", "تجارب شيشلي وساريتشام."
SV_TITLE = "Forum om migration och stad"
TRANSLATIONS = {
    "ar": {"title": AR_TITLE, "description": AR_TEXT},
    "sv": {"title": SV_TITLE, "description": ""},
}


def _event(create_event):
    return create_event(
        title=TR_TITLE,
        description=TR_TEXT,
        starts_at=START,
        ends_at=START + timedelta(hours=5),
        translations=TRANSLATIONS,
    )


def _calendar(message):
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    raw = part.get_content().encode("utf-8").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return ics.parse(raw).sub("VEVENT")[0]


def test_api_reads_writes_and_validates_translations(api):
    body = {
        "title": TR_TITLE,
        "kind": "forum",
        "level": "regional",
        "starts_at": "2031-03-04T10:00",
        "ends_at": "2031-03-04T15:00",
        "translations": {"ar": {"title": f"  {AR_TITLE} ", "description": AR_TEXT}},
    }
    created = api("organiser").post("/api/v1/events", json=body)
    assert created.status_code == 201, created.json
    assert created.json["translations"] == {
        "ar": {"title": AR_TITLE, "description": AR_TEXT, "venue_notes": ""}
    }
    event_id = created.json["id"]

    changed = api("organiser").patch(
        f"/api/v1/events/{event_id}", json={"translations": {"sv": {"title": SV_TITLE}}}
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["translations"] == {
        "sv": {"title": SV_TITLE, "description": "", "venue_notes": ""}
    }
    assert api("organiser").get(f"/api/v1/events/{event_id}").json["translations"] == {
        "sv": {"title": SV_TITLE, "description": "", "venue_notes": ""}
    }

    for bad in ({"xx": {"title": "?"}}, {"ar": {"title": "   "}}, {"ar": {"description": "x"}}):
        resp = api("organiser").patch(f"/api/v1/events/{event_id}", json={"translations": bad})
        assert resp.status_code == 422, (bad, resp.json)
        assert any(key.startswith("translations") for key in resp.json["error"]["fields"])


def test_invitation_confirmation_and_calendar_per_language(
    app, api, stub_worker, create_event, create_contact, client, forget_locale
):
    event = _event(create_event)
    people = {
        "ar": create_contact(full_name="Rasha Haddad", email="rasha@example.org", language="ar"),
        "sv": create_contact(full_name="Anna Lindqvist", email="anna@example.org", language="sv"),
        "en": create_contact(full_name="Jane Doe", email="jane@example.org", language="en"),
        "tr": create_contact(full_name="Şükrü Reyhanlı", email="sukru@example.org", language="tr"),
    }
    resp = api("organiser").post(
        f"/api/v1/events/{event.id}/invitations",
        json={"contact_ids": [c.id for c in people.values()]},
    )
    assert resp.status_code == 202, resp.json
    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}

    expected = {
        "ar": (AR_TITLE, AR_TEXT),
        "sv": (SV_TITLE, TR_TEXT),  # no Swedish description: the default one
        "en": (TR_TITLE, TR_TEXT),  # no English translation at all
        "tr": (TR_TITLE, TR_TEXT),
    }
    for language, contact in people.items():
        title, text = expected[language]
        message = messages[contact.email]
        assert title in message["Subject"]
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert title in plain and text in plain
        assert title in html and text in html
        others = {AR_TITLE, SV_TITLE, TR_TITLE} - {title}
        assert not any(other in plain or other in html for other in others), language
        vevent = _calendar(message)
        assert vevent.value("SUMMARY") == title
        assert vevent.value("DESCRIPTION").startswith(text)

    # the RSVP page, then the confirmation, in the Arabic invitee's language
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.contact_id == people["ar"].id)
    )
    token = rsvp_token_of(invitation)
    forget_locale()
    page = client.get(f"/rsvp/{token}").get_data(as_text=True)
    assert AR_TITLE in page and AR_TEXT in page and TR_TITLE not in page
    answer = post_form(client, f"/rsvp/{token}", {"response": "accept", "consent_data": "1"})
    assert answer.status_code in (200, 303), answer.status_code
    stub_worker.drain()
    (confirmation,) = [m for m in stub_worker.messages() if "confirmation" in m["X-RESLOG-Kind"]]
    assert AR_TITLE in confirmation["Subject"]
    assert AR_TITLE in confirmation.get_body(("plain",)).get_content()
    assert AR_TITLE in confirmation.get_body(("html",)).get_content()
    assert _calendar(confirmation).value("SUMMARY") == AR_TITLE

    # the English invitee's page falls back to the default title
    forget_locale()
    english = db.session.scalar(
        sa.select(Invitation).where(Invitation.contact_id == people["en"].id)
    )
    page = client.get(f"/rsvp/{rsvp_token_of(english)}?lang=en").get_data(as_text=True)
    assert TR_TITLE in page and TR_TEXT in page and AR_TITLE not in page


def test_public_programme_and_feed_in_the_asked_language(client, create_event):
    event = _event(create_event)
    event.is_public = True
    event.published_at = event.created_at  # (the factory does not set it)
    db.session.commit()
    feed = client.get("/feeds/public.ics?lang=ar").get_data(as_text=True)
    assert f"SUMMARY:{AR_TITLE}" in feed and TR_TITLE not in feed
    feed = client.get("/feeds/public.ics?lang=en").get_data(as_text=True)
    assert f"SUMMARY:{TR_TITLE}" in feed  # no English title: the default one
    page = client.get(f"/programme/{event.id}?lang=ar").get_data(as_text=True)
    assert AR_TITLE in page and AR_TEXT in page
