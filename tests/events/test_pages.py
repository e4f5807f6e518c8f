"""The organisers' event pages: list, hub, create and edit forms, publish and cancel."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from reslog_events.core import signals
from reslog_events.core.columns import utcnow
from tests.support.forms import post_form


def form(**overrides):
    data = {
        "title": "Akran Ziyareti: Botkyrka",
        "kind": "peer_visit",
        "level": "international",
        "timezone": "Europe/Stockholm",
        "starts_at": "2031-09-16T09:00",
        "ends_at": "2031-09-17T16:00",
        "rsvp_deadline": "",
        "venue": "Botkyrka kommunhus",
        "address": "Munkhättevägen 45",
        "city": "Tumba",
        "country": "SE",
        "online_url": "",
        "capacity": "25",
        "languages": ["sv", "tr", "en"],
        "description": "Kommunernas arbete med nyanlända.",
        "host_organisation_id": "",
    }
    data.update(overrides)
    return data


def html(resp) -> str:
    return resp.get_data(as_text=True)


def test_anonymous_users_go_to_login(client):
    for path in ("/events", "/events/1", "/events/new", "/events/1/edit", "/events/1/cancel"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], path


def test_list_shows_upcoming_and_past(client, auth, create_event):
    now = utcnow()
    create_event(title="Gelecek Forum", starts_at=now + timedelta(days=2))
    create_event(title="Geçmiş Çalıştay", kind="workshop", starts_at=now - timedelta(days=9))
    auth.login("coordinator")
    upcoming = html(client.get("/events"))
    assert "Gelecek Forum" in upcoming and "Geçmiş Çalıştay" not in upcoming
    past = html(client.get("/events?when=past"))
    assert "Geçmiş Çalıştay" in past and "Gelecek Forum" not in past
    assert "New event" not in upcoming  # coordinators may not create


def test_list_filters_and_empty_state(client, auth, create_event):
    create_event(title="Sarıçam Forumu", kind="forum", level="local")
    auth.login("organiser")
    assert "Sarıçam Forumu" in html(client.get("/events?kind=forum&level=local"))
    empty = html(client.get("/events?kind=training"))
    assert "No events match these filters." in empty and "Clear filters" in empty
    # a filter that does not parse is ignored rather than failing the page
    assert "Sarıçam Forumu" in html(client.get("/events?kind=party&page=x"))


def test_empty_list_invites_editors_to_create(client, auth):
    auth.login("organiser")
    page = html(client.get("/events"))
    assert "No upcoming events." in page and 'href="/events/new"' in page


def test_list_is_paginated(client, auth, create_event):
    start = utcnow() + timedelta(days=1)
    for n in range(21):
        create_event(title=f"Toplantı {n:02d}", starts_at=start + timedelta(hours=n))
    auth.login("coordinator")
    first = html(client.get("/events"))
    assert "Toplantı 00" in first and "Toplantı 20" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = html(client.get("/events?page=2"))
    assert "Toplantı 20" in second and "Toplantı 00" not in second


def test_detail_is_the_event_hub(app, client, auth, create_event, create_invitation):
    event = create_event(
        title="Eşler Arası Ziyaret",
        timezone="Europe/Stockholm",
        starts_at=datetime(2031, 6, 10, 7, 0, tzinfo=UTC),
        ends_at=datetime(2031, 6, 10, 14, 0, tzinfo=UTC),
        city="Botkyrka",
        country="SE",
    )
    create_invitation(event=event, status="accepted")
    create_invitation(event=event, status="declined")
    auth.login("staff")
    page = html(client.get(f"/events/{event.id}"))
    assert "Eşler Arası Ziyaret" in page and "Europe/Stockholm" in page
    # 07:00–14:00 UTC in Stockholm summer time (babel puts a narrow space before AM)
    assert re.search(r"9:00\sAM – 4:00\sPM", page)
    # the tests' app context outlives requests; Flask-Babel caches the locale on it
    from flask_babel import refresh

    refresh()
    turkish = html(client.get(f"/events/{event.id}?lang=tr"))
    assert "09:00 – 16:00" in turkish and "Europe/Stockholm" in turkish
    assert "badge-published" in page
    assert f'/events/{event.id}/edit"' not in page  # staff may look, not edit
    links = {
        "invitations.event_invitations": False,
        "answers.event_answers": False,
        "checkin.scanner": True,
        "checkin.log": True,
        "reports.dashboard": False,  # staff are not reporters
    }
    with app.test_request_context():
        from flask import url_for

        for endpoint, staff_may in links.items():
            if endpoint not in app.view_functions:
                continue
            href = url_for(endpoint, event_id=event.id)
            assert (f'href="{href}"' in page) == staff_may, endpoint


def test_detail_shows_editors_their_actions(client, auth, create_event):
    draft = create_event(status="draft")
    auth.login("organiser")
    page = html(client.get(f"/events/{draft.id}"))
    for action in ("edit", "publish", "cancel"):
        assert f'href="/events/{draft.id}/{action}"' in page
    assert client.get("/events/999999").status_code == 404


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_only_editors_may_change_events(client, auth, create_event, role):
    event = create_event(status="draft")
    auth.login(role)
    for path in (
        "/events/new",
        f"/events/{event.id}/edit",
        f"/events/{event.id}/publish",
        f"/events/{event.id}/cancel",
    ):
        assert client.get(path).status_code == 403, path


def test_create_reads_times_in_the_chosen_zone(app, client, auth):
    from reslog_events.events.models import Event
    from reslog_events.extensions import db

    auth.login("organiser")
    resp = post_form(client, "/events/new", form())
    assert resp.status_code == 302
    event = db.session.scalars(sa.select(Event)).one()
    assert resp.headers["Location"].endswith(f"/events/{event.id}")
    assert event.starts_at == datetime(2031, 9, 16, 7, 0, tzinfo=UTC)
    assert event.timezone == "Europe/Stockholm" and event.status.value == "draft"
    assert event.languages == ["sv", "tr", "en"] and event.capacity == 25
    assert event.organiser_id == auth.user.id and event.is_public is False
    assert "created as a draft" in html(client.get(resp.headers["Location"]))


def test_create_shows_errors_next_to_fields_keeping_input(client, auth):
    auth.login("organiser")
    resp = post_form(
        client,
        "/events/new",
        form(
            title="",
            capacity="0",
            country="Narnia",
            online_url="meet dot example",
            venue="Alby Folkets Hus",
            kind="party",
        ),
    )
    assert resp.status_code == 422
    page = html(resp)
    for field in ("title", "capacity", "country", "online_url", "kind"):
        assert re.search(rf'<p class="error" id="e-{field}" role="alert">', page), field
        assert re.search(rf'aria-describedby="e-{field}( h-{field})?"', page), field
    assert "This field is required." in page  # the empty title
    assert 'value="Alby Folkets Hus"' in page
    assert 'maxlength="200"' in page
    assert 'value="2031-09-16T09:00"' in page
    assert re.search(r'value="sv"\s+checked|value="sv" checked', page)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": "2031-03-30T02:30", "ends_at": "2031-03-30T09:00"}, "starts_at"),
        ({"ends_at": "2031-09-16T08:00"}, "ends_at"),
        ({"rsvp_deadline": "2031-09-18T00:00"}, "rsvp_deadline"),
    ],
)
def test_create_cross_field_errors(client, auth, overrides, field):
    auth.login("organiser")
    resp = post_form(client, "/events/new", form(**overrides))
    assert resp.status_code == 422
    assert f'id="e-{field}" role="alert"' in html(resp)


def test_form_without_csrf_is_refused(client, auth):
    auth.login("organiser")
    assert client.post("/events/new", data=form()).status_code == 400


def test_edit_shows_local_times_and_reschedules(client, auth, create_event):
    event = create_event(
        timezone="Europe/Stockholm",
        starts_at=datetime(2031, 9, 16, 7, 0, tzinfo=UTC),
        ends_at=datetime(2031, 9, 17, 14, 0, tzinfo=UTC),
    )
    auth.login("organiser")
    page = html(client.get(f"/events/{event.id}/edit"))
    assert 'value="2031-09-16T09:00"' in page and 'value="2031-09-17T16:00"' in page
    assert "updated calendar entry" in page
    with signals.event_rescheduled.connected_to(lambda sender, changes: seen.append(changes)):
        seen: list = []
        values = form(
            title=event.title,
            kind="forum",
            level="regional",
            venue="Tumba bruk",
            city=event.city,
            country=event.country,
            capacity="",
            languages=[],
            description="",
        )
        resp = post_form(client, f"/events/{event.id}/edit", values)
    assert resp.status_code == 302
    assert [set(c) for c in seen] == [{"venue", "address"}]
    from reslog_events.extensions import db

    db.session.refresh(event)
    assert event.sequence == 1 and event.venue == "Tumba bruk"
    assert event.starts_at == datetime(2031, 9, 16, 7, 0, tzinfo=UTC)
    assert "updated calendar entry" in html(client.get(resp.headers["Location"]))


def test_edit_errors_keep_input(client, auth, create_event):
    event = create_event(status="draft")
    auth.login("organiser")
    resp = post_form(client, f"/events/{event.id}/edit", form(title="x" * 201, city="Reyhanlı"))
    assert resp.status_code == 422
    page = html(resp)
    assert 'id="e-title" role="alert"' in page and 'value="Reyhanlı"' in page


def test_publish_with_confirmation(client, auth, create_event, create_invitation):
    event = create_event(status="draft")
    create_invitation(event=event)
    auth.login("organiser")
    confirm = html(client.get(f"/events/{event.id}/publish"))
    assert "Publish the event?" in confirm and "1 person is invited already." in confirm
    with signals.event_published.connected_to(lambda sender: sent.append(sender.id)):
        sent: list = []
        resp = post_form(client, f"/events/{event.id}/publish", {})
        assert resp.status_code == 302
        again = post_form(client, f"/events/{event.id}/publish", {})
    assert sent == [event.id]
    assert "already published" in html(client.get(again.headers["Location"]))


def test_cancel_with_confirmation_names_who_is_notified(
    client, auth, create_event, create_invitation
):
    from reslog_events.extensions import db
    from reslog_events.mail.outbox import queue_email

    event = create_event()
    for status in ("pending", "accepted", "tentative", "declined", "revoked"):
        queue_email(
            "invitation", invitation=create_invitation(event=event, status=status).invitation
        )
    create_invitation(event=event)  # prepared, never sent: nothing to cancel for them
    db.session.commit()
    auth.login("organiser")
    confirm = html(client.get(f"/events/{event.id}/cancel"))
    assert "3 invitees will be notified" in confirm
    with signals.event_cancelled.connected_to(lambda sender: sent.append(sender.id)):
        sent: list = []
        resp = post_form(client, f"/events/{event.id}/cancel", {})
        post_form(client, f"/events/{event.id}/cancel", {})
    assert sent == [event.id]
    page = html(client.get(resp.headers["Location"]))
    assert "This event was cancelled." in page and f"/events/{event.id}/edit" not in page
    edit = client.get(f"/events/{event.id}/edit")
    assert edit.status_code == 302


def test_the_place_is_a_list_in_the_page_language(client, auth, create_event):
    event = create_event(venue="Kültür Merkezi", city="Şişli", country="TR")
    auth.login("organiser")
    assert "Kültür Merkezi, Şişli" in html(client.get(f"/events/{event.id}?lang=tr"))
    arabic = html(client.get(f"/events/{event.id}?lang=ar"))
    assert "Kültür Merkezi، Şişli" in arabic and "Kültür Merkezi, Şişli" not in arabic
