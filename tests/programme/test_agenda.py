"""Agenda sessions: validation (inside the event, end after start, no overlap per room), times in
the event's zone across DST changes, the API, and the organisers' page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.programme.conftest import session_body
from tests.support.forms import post_form


def _post(api, event, **body):
    return api("organiser").post(f"/api/v1/events/{event.id}/sessions", json=session_body(**body))


def test_session_times_are_wall_clock_in_the_event_zone(api, workshop):
    resp = _post(api, workshop)
    assert resp.status_code == 201, resp.json
    data = resp.json
    assert data["starts_at"] == "2027-11-10T09:30:00+03:00"
    assert data["timezone"] == "Europe/Istanbul"
    listed = api("coordinator").get(f"/api/v1/events/{workshop.id}/sessions").json
    assert listed["total"] == 1 and listed["items"][0]["title"] == "Opening"


def test_offset_times_are_instants(api, workshop):
    resp = _post(api, workshop, starts_at="2027-11-10T07:00Z", ends_at="2027-11-10T08:00+00:00")
    assert resp.status_code == 201
    assert resp.json["starts_at"] == "2027-11-10T10:00:00+03:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_at": "2027-11-10T08:00", "ends_at": "2027-11-10T09:15"}, "starts_at"),
        ({"starts_at": "2027-11-11T16:30", "ends_at": "2027-11-11T17:30"}, "ends_at"),
        ({"starts_at": "2027-11-12T10:00", "ends_at": "2027-11-12T11:00"}, "starts_at"),
        ({"starts_at": "2027-11-10T11:00", "ends_at": "2027-11-10T10:00"}, "ends_at"),
        ({"starts_at": "2027-11-10T11:00", "ends_at": "2027-11-10T11:00"}, "ends_at"),
    ],
)
def test_session_must_lie_inside_the_event(api, workshop, body, field):
    resp = _post(api, workshop, **body)
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


def test_overlap_in_the_same_room_is_refused_other_rooms_are_fine(api, workshop):
    assert _post(api, workshop, room_or_site="Salon A").status_code == 201
    clash = _post(
        api,
        workshop,
        title="Panel",
        starts_at="2027-11-10T10:00",
        ends_at="2027-11-10T11:00",
        room_or_site="  SALON a ",
    )
    assert clash.status_code == 422
    assert "Opening" in clash.json["error"]["fields"]["starts_at"]
    other_room = _post(
        api,
        workshop,
        title="Panel",
        starts_at="2027-11-10T10:00",
        ends_at="2027-11-10T11:00",
        room_or_site="Salon B",
    )
    assert other_room.status_code == 201
    back_to_back = _post(
        api,
        workshop,
        title="Coffee",
        starts_at="2027-11-10T10:30",
        ends_at="2027-11-10T11:00",
    )
    assert back_to_back.status_code == 201


def test_sessions_without_a_room_share_the_main_room(api, workshop):
    assert _post(api, workshop, room_or_site=None).status_code == 201
    resp = _post(api, workshop, title="Other", room_or_site="")
    assert resp.status_code == 422


def test_turkish_room_names_compare_by_turkish_rules(api, workshop):
    assert _post(api, workshop, room_or_site="İŞLİK SALONU").status_code == 201
    assert _post(api, workshop, title="B", room_or_site="işlik salonu").status_code == 422


def test_a_time_skipped_by_dst_is_refused(api, create_event):
    from tests.programme.conftest import STO, at

    event = create_event(
        timezone="Europe/Stockholm",
        starts_at=at(STO, 2026, 3, 28, 9),
        ends_at=at(STO, 2026, 3, 30, 17),
    )
    resp = _post(api, event, starts_at="2026-03-29T02:30", ends_at="2026-03-29T04:00")
    assert resp.status_code == 422
    assert "does not exist" in resp.json["error"]["fields"]["starts_at"]
    # Across the change a session keeps its wall-clock times: 01:30 CET → 03:30 CEST is 1 hour.
    ok = _post(api, event, starts_at="2026-03-29T01:30", ends_at="2026-03-29T03:30")
    assert ok.status_code == 201
    start = datetime.fromisoformat(ok.json["starts_at"])
    end = datetime.fromisoformat(ok.json["ends_at"])
    assert (start.utcoffset().total_seconds(), end.utcoffset().total_seconds()) == (3600, 7200)
    assert (end - start).total_seconds() == 3600


def test_a_repeated_wall_time_takes_the_first(api, visit):
    # 31 October 2027, 02:30 happens twice in Stockholm; the first is summer time (+02:00).
    resp = _post(api, visit, starts_at="2027-10-31T02:30", ends_at="2027-10-31T04:00")
    assert resp.status_code == 201
    assert resp.json["starts_at"] == "2027-10-31T02:30:00+02:00"
    assert resp.json["ends_at"] == "2027-10-31T04:00:00+01:00"
    start = datetime.fromisoformat(resp.json["starts_at"]).astimezone(UTC)
    assert start == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_patch_raises_sequence_only_for_calendar_news(api, workshop):
    created = _post(api, workshop).json
    org = api("organiser")
    same = org.patch(f"/api/v1/sessions/{created['id']}", json={"position": 3})
    assert same.status_code == 200 and same.json["sequence"] == 0
    moved = org.patch(f"/api/v1/sessions/{created['id']}", json={"starts_at": "2027-11-10T09:00"})
    assert moved.status_code == 200 and moved.json["sequence"] == 1
    bad = org.patch(f"/api/v1/sessions/{created['id']}", json={"ends_at": "2027-11-10T08:00"})
    assert bad.status_code == 422 and "ends_at" in bad.json["error"]["fields"]
    null = org.patch(f"/api/v1/sessions/{created['id']}", json={"title": None})
    assert null.status_code == 422


def test_delete_and_unknown_ids(api, workshop):
    created = _post(api, workshop).json
    org = api("organiser")
    assert org.delete(f"/api/v1/sessions/{created['id']}").status_code == 204
    assert org.get(f"/api/v1/sessions/{created['id']}").status_code == 404
    assert org.get("/api/v1/events/424242/sessions").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "starts_at": "2027-11-10T09:30", "ends_at": "2027-11-10T10:00"},
        {"title": "x", "starts_at": 1234567890, "ends_at": "2027-11-10T10:00"},
        {"title": "x", "starts_at": "tomorrow", "ends_at": "2027-11-10T10:00"},
        {
            "title": "x",
            "starts_at": "2027-11-10T09:30",
            "ends_at": "2027-11-10T10:00",
            "language": "de",
        },
        {
            "title": "x",
            "starts_at": "2027-11-10T09:30",
            "ends_at": "2027-11-10T10:00",
            "capacity": 0,
        },
        {"title": "x" * 201, "starts_at": "2027-11-10T09:30", "ends_at": "2027-11-10T10:00"},
        {
            "title": "x",
            "starts_at": "2027-11-10T09:30",
            "ends_at": "2027-11-10T10:00",
            "unknown": 1,
        },
        {"title": "x", "starts_at": "9999-11-10T09:30", "ends_at": "9999-11-10T10:00"},
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(api, workshop, body):
    resp = api("organiser").post(f"/api/v1/events/{workshop.id}/sessions", json=body)
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.json["error"]["fields"]


def test_cancelled_event_agenda_is_frozen(api, create_event):
    event = create_event(status="cancelled")
    resp = api("organiser").post(
        f"/api/v1/events/{event.id}/sessions",
        json=session_body(
            starts_at=event.local_starts_at.strftime("%Y-%m-%dT%H:%M"),
            ends_at=event.local_ends_at.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert resp.status_code == 409


def test_agenda_page_shows_errors_next_to_fields_and_keeps_input(client, auth, workshop):
    auth.login("organiser")
    path = f"/events/{workshop.id}/agenda"
    resp = post_form(
        client,
        path,
        {
            "title": "Late panel",
            "starts_at": "2027-11-12T10:00",
            "ends_at": "2027-11-12T11:00",
            "room_or_site": "Salon C",
        },
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="e-starts_at" role="alert"' in html
    assert 'value="Late panel"' in html and 'value="Salon C"' in html


def test_agenda_page_adds_edits_and_deletes(client, auth, workshop):
    from reslog_events.programme.models import AgendaSession

    auth.login("organiser")
    path = f"/events/{workshop.id}/agenda"
    resp = post_form(
        client,
        path,
        {
            "title": "Açılış",
            "starts_at": "2027-11-10T09:30",
            "ends_at": "2027-11-10T10:00",
            "interpretation": ["ar", "en"],
            "language": "tr",
        },
    )
    assert resp.status_code == 302
    session = AgendaSession.query.one()
    assert session.interpretation == ["ar", "en"] and session.language == "tr"
    page = client.get(path).get_data(as_text=True)
    assert "Açılış" in page and "9:30" in page
    edit = f"/events/{workshop.id}/agenda/{session.id}/edit"
    resp = post_form(
        client,
        edit,
        {
            "title": "Açılış konuşması",
            "starts_at": "2027-11-10T09:30",
            "ends_at": "2027-11-10T10:15",
        },
    )
    assert resp.status_code == 302
    assert AgendaSession.query.one().title == "Açılış konuşması"
    from tests.support.forms import csrf_token

    token = csrf_token(client, path)
    client.post(f"/events/{workshop.id}/agenda/{session.id}/delete", data={"csrf_token": token})
    assert AgendaSession.query.count() == 0


def test_staff_read_the_agenda_but_cannot_post(client, auth, workshop):
    auth.login("staff")
    path = f"/events/{workshop.id}/agenda"
    page = client.get(path)
    assert page.status_code == 200 and "Add a session" not in page.get_data(as_text=True)
    resp = post_form(client, path, session_body())
    assert resp.status_code == 403


def test_agenda_partial_and_agenda_for(app, api, workshop):
    from flask import render_template_string

    from reslog_events.programme.queries import agenda_for

    _post(api, workshop, title="Second", starts_at="2027-11-11T10:00", ends_at="2027-11-11T11:00")
    _post(api, workshop, title="First")
    assert [s.title for s in agenda_for(workshop)] == ["First", "Second"]
    with app.test_request_context("/?lang=en"):
        html = render_template_string('{% include "programme/_agenda.html" %}', event=workshop)
        text = render_template_string('{% include "programme/_agenda.txt" %}', event=workshop)
    assert html.index("First") < html.index("Second") and "<form" not in html
    assert "9:30" in text and "Second" in text


def test_agenda_partial_renders_in_an_email_without_a_request(app, api, workshop):
    """The invitation email (rendered by a worker, no request) includes the agenda."""
    from flask import render_template_string
    from flask_babel import force_locale

    _post(api, workshop, title="Açılış", speakers="Dr. Ayşe Yılmaz")
    with app.app_context(), force_locale("tr"):
        html = render_template_string(
            '{% include "programme/_agenda.html" %}', event=workshop, for_email=True
        )
        text = render_template_string('{% include "programme/_agenda.txt" %}', event=workshop)
    assert "Açılış" in html and "Dr. Ayşe Yılmaz" in html and "<form" not in html
    assert "10 Kasım 2027 Çarşamba" in text and "09:30" in text
