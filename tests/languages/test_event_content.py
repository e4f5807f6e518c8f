"""Venue notes and agenda session titles per language: written through the API and the forms
(the default language required, the others optional), only in the event's languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from reslog_events.events.models import Event
from reslog_events.extensions import db
from reslog_events.programme.models import AgendaSession
from tests.events.test_pages import form
from tests.support.forms import post_form

START = datetime(2031, 3, 4, 7, 0, tzinfo=UTC)
TR_NOTES = "Giriş bahçeden, 2. kat (Şişli Belediyesi yanı)"
AR_NOTES = "المدخل من الحديقة، الطابق الثاني"
TR_SESSION, AR_SESSION = "Sarıçam'da kentsel uyum", "التماسك الحضري في ساريتشام"


def _body(**overrides):
    body = {
        "title": "Göç ve Kent Forumu",
        "kind": "forum",
        "level": "regional",
        "starts_at": "2031-03-04T10:00",
        "ends_at": "2031-03-04T15:00",
        "languages": ["tr", "ar"],
        "venue_notes": TR_NOTES,
        "translations": {"ar": {"title": "منتدى الهجرة", "venue_notes": AR_NOTES}},
    }
    return {**body, **overrides}


def test_api_reads_and_writes_venue_notes_per_language(api):
    created = api("organiser").post("/api/v1/events", json=_body())
    assert created.status_code == 201, created.json
    assert created.json["venue_notes"] == TR_NOTES
    assert created.json["translations"]["ar"]["venue_notes"] == AR_NOTES
    event_id = created.json["id"]
    event = db.session.get(Event, event_id)
    assert event.venue_notes_in("ar") == AR_NOTES
    assert event.venue_notes_in("sv") == TR_NOTES  # not a language of it: the default

    changed = api("organiser").patch(f"/api/v1/events/{event_id}", json={"venue_notes": None})
    assert changed.status_code == 200 and changed.json["venue_notes"] is None


def test_content_only_in_the_events_languages(api):
    refused = api("organiser").post(
        "/api/v1/events",
        json=_body(translations={"sv": {"title": "Forum", "venue_notes": "Ingång från gården"}}),
    )
    assert refused.status_code == 422, refused.json
    message = refused.json["error"]["fields"]["translations.sv.title"]
    assert "Svenska" in message and "Languages" in message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0

    created = api("organiser").post("/api/v1/events", json=_body())
    event_id = created.json["id"]
    # taking Arabic off the event's languages while its Arabic text stays is refused too
    resp = api("organiser").patch(f"/api/v1/events/{event_id}", json={"languages": ["tr"]})
    assert resp.status_code == 422 and "translations.ar.title" in resp.json["error"]["fields"]
    # an event that names no languages takes any of the app's
    resp = api("organiser").patch(
        f"/api/v1/events/{event_id}", json={"languages": [], "translations": {"sv": {"title": "X"}}}
    )
    assert resp.status_code == 200, resp.json


def _session_body(**overrides):
    return {
        "title": TR_SESSION,
        "starts_at": "2031-03-04T10:30",
        "ends_at": "2031-03-04T11:30",
        "translations": {"ar": {"title": f" {AR_SESSION} "}},
        **overrides,
    }


def test_api_reads_and_writes_session_titles_per_language(api, create_event):
    event = create_event(
        starts_at=START, ends_at=START + timedelta(hours=6), languages=["tr", "ar"]
    )
    created = api("organiser").post(f"/api/v1/events/{event.id}/sessions", json=_session_body())
    assert created.status_code == 201, created.json
    assert created.json["translations"] == {"ar": {"title": AR_SESSION}}
    session_id = created.json["id"]
    listed = api("organiser").get(f"/api/v1/events/{event.id}/sessions").json
    assert listed["items"][0]["translations"] == {"ar": {"title": AR_SESSION}}

    for bad in ({"sv": {"title": "Stadsliv"}}, {"ar": {"title": "  "}}, {"xx": {"title": "?"}}):
        resp = api("organiser").patch(f"/api/v1/sessions/{session_id}", json={"translations": bad})
        assert resp.status_code == 422, (bad, resp.json)
        assert any(key.startswith("translations") for key in resp.json["error"]["fields"])
    session = db.session.get(AgendaSession, session_id)
    db.session.refresh(session)
    assert session.title_in("ar") == AR_SESSION and session.title_in("sv") == TR_SESSION

    resp = api("organiser").patch(f"/api/v1/sessions/{session_id}", json={"translations": {}})
    assert resp.status_code == 200 and resp.json["translations"] == {}
    assert resp.json["sequence"] == 1  # the calendar entries change with it


def test_event_form_has_venue_notes_in_each_tab(client, auth):
    auth.login("organiser")
    page = client.get("/events/new?lang=en").get_data(as_text=True)
    assert 'name="venue_notes"' in page and 'name="venue_notes_ar"' in page
    # Arabic venue notes without an Arabic title: the tab's title is asked for
    refused = post_form(
        client, "/events/new", form(venue_notes_ar=AR_NOTES, languages=["sv", "ar"])
    )
    assert refused.status_code == 422
    assert 'id="e-title_ar"' in refused.get_data(as_text=True)
    # an Arabic tab for an event not held in Arabic: said next to that tab's title
    refused = post_form(
        client, "/events/new?lang=en", form(title_ar="منتدى", languages=["sv", "en"])
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="e-title_ar"' in html
    assert "is not one of the event&#39;s languages" in html
    created = post_form(
        client,
        "/events/new",
        form(
            venue_notes=TR_NOTES,
            title_ar="منتدى",
            venue_notes_ar=AR_NOTES,
            languages=["sv", "ar"],
        ),
    )
    assert created.status_code == 302
    event = db.session.scalars(sa.select(Event)).one()
    assert event.venue_notes == TR_NOTES
    assert event.translations["ar"] == {
        "title": "منتدى",
        "description": "",
        "venue_notes": AR_NOTES,
    }
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert AR_NOTES in edit and TR_NOTES in edit


def test_agenda_editor_tabs_for_the_events_languages(client, auth, create_event):
    event = create_event(
        starts_at=START, ends_at=START + timedelta(hours=6), languages=["en", "ar"]
    )
    auth.login("organiser")
    page = client.get(f"/events/{event.id}/agenda?lang=en").get_data(as_text=True)
    assert 'name="title_ar"' in page and 'name="title_sv"' not in page
    data = {"title": TR_SESSION, "starts_at": "2031-03-04T10:30", "ends_at": "2031-03-04T11:30"}
    added = post_form(client, f"/events/{event.id}/agenda", {**data, "title_ar": AR_SESSION})
    assert added.status_code == 302, added.get_data(as_text=True)
    session = db.session.scalars(sa.select(AgendaSession)).one()
    assert session.translations == {"ar": {"title": AR_SESSION}}
    edit = client.get(f"/events/{event.id}/agenda/{session.id}/edit").get_data(as_text=True)
    assert f'value="{AR_SESSION}"' in edit
    saved = post_form(
        client, f"/events/{event.id}/agenda/{session.id}/edit", {**data, "title_ar": ""}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(AgendaSession, session.id).translations == {}
