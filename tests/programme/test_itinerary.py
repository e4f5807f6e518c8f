"""A visit's itinerary: sites, the delegation, and the itinerary email with one calendar entry per
session attended, parsed back by an independent iCalendar parser (`ical`): stable UIDs across
edits, SEQUENCE raised on change, cancellations for dropped sessions, TZID with VTIMEZONE."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ical.calendar_stream import IcsCalendarStream

from tests.programme.conftest import STO


def _calendars(messages) -> list:
    found = []
    for message in messages:
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                found.append(IcsCalendarStream.calendar_from_ics(part.get_content()))
    return found


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def delegation(api, visit, create_contact, create_invitation, create_organisation):
    """The visit with four sessions over three days, a site, and two members (tr, sv)."""
    org = api("organiser")
    bodies = [
        ("Welcome at the city hall", "2027-10-30T09:00", "2027-10-30T11:00", "City hall"),
        ("Reception centre", "2027-10-30T13:00", "2027-10-30T15:00", "Alby"),
        ("Library and language café", "2027-10-31T10:00", "2027-10-31T12:00", "Fittja"),
        ("Wrap-up", "2027-11-01T14:00", "2027-11-01T16:00", "City hall"),
    ]
    sessions = []
    for title, start, end, room in bodies:
        resp = org.post(
            f"/api/v1/events/{visit.id}/sessions",
            json={"title": title, "starts_at": start, "ends_at": end, "room_or_site": room},
        )
        assert resp.status_code == 201, resp.json
        sessions.append(resp.json)
    site = org.post(
        f"/api/v1/events/{visit.id}/sites",
        json={
            "day": "2027-10-30",
            "host_name": "Botkyrka kommun",
            "address": "Munkhättevägen 45",
            "contact_name": "Eva Lind",
            "contact_phone": "+46 8 530 610 00",
        },
    )
    assert site.status_code == 201, site.json
    municipality = create_organisation(name="Şişli Belediyesi")
    people = [
        create_contact(full_name="Ayşe Yılmaz", language="tr", organisation=municipality),
        create_contact(full_name="Karin Berg", language="sv", organisation=municipality),
    ]
    members = []
    for contact in people:
        invitation = create_invitation(event=visit, contact=contact, status="accepted").invitation
        resp = org.post(
            f"/api/v1/events/{visit.id}/delegation",
            json={
                "invitation_id": invitation.id,
                "arrives_at": "2027-10-29T18:40",
                "departs_at": "2027-11-02T07:15",
                "travel_details": "TK1797",
                "visa_notes": "Schengen visa issued",
                "accommodation_notes": "Hotel Fittja",
            },
        )
        assert resp.status_code == 201, resp.json
        members.append(resp.json)
    return {"sessions": sessions, "members": members, "event": visit}


def _send(api, event, **body):
    return api("organiser").post(f"/api/v1/events/{event.id}/itinerary/send", json=body)


def test_itinerary_email_has_one_entry_per_session(api, delegation, stub_worker):
    event = delegation["event"]
    resp = _send(api, event)
    assert resp.status_code == 202 and resp.json == {"queued": 2}
    stub_worker.drain()
    messages = stub_worker.messages()
    assert len(messages) == 2
    by_name = {m["To"].addresses[0].display_name: m for m in messages}
    calendars = _calendars(messages)
    assert len(calendars) == 2
    for cal in calendars:
        assert cal.method == "PUBLISH"
        assert [tz.tz_id for tz in cal.timezones] == ["Europe/Stockholm"]
        assert len(cal.events) == 4
        assert len({e.uid for e in cal.events}) == 4
        for vevent, session in zip(
            sorted(cal.events, key=lambda e: e.dtstart), delegation["sessions"], strict=True
        ):
            assert vevent.summary == session["title"]
            assert vevent.dtstart.tzinfo is not None
            assert vevent.dtstart == datetime.fromisoformat(session["starts_at"])
            assert vevent.dtend == datetime.fromisoformat(session["ends_at"])
            assert vevent.sequence == 0
    # The library café on 31 October: summer time ended at 03:00 that night (+01:00 at 10:00).
    cafe = next(e for e in calendars[0].events if e.summary.startswith("Library"))
    assert cafe.dtstart.astimezone(UTC) == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)
    # The two members' entries for the same session differ (UID per invitation and session).
    assert not {e.uid for e in calendars[0].events} & {e.uid for e in calendars[1].events}
    # Each in their language: dates in Turkish and Swedish, travel and site details included.
    turkish = _text(by_name["Ayşe Yılmaz"])
    swedish = _text(by_name["Karin Berg"])
    assert "Cumartesi" in turkish and "lördag" in swedish
    assert "Botkyrka kommun" in turkish and "Eva Lind" in _html(by_name["Ayşe Yılmaz"])
    assert "TK1797" in swedish and "Hotel Fittja" in swedish
    # What the organiser needs (visa notes) does not go to the member.
    assert "Schengen" not in turkish


def _entries_of(api, event, stub_worker):
    assert _send(api, event).status_code == 202
    stub_worker.drain()
    cal = _calendars(stub_worker.messages()[-2:])
    return {e.summary: e for e in cal[0].events}, stub_worker


def test_uids_stay_and_sequence_rises_on_edits(api, delegation, stub_worker):
    event = delegation["event"]
    first, _ = _entries_of(api, event, stub_worker)
    welcome, cafe, wrap_up = (delegation["sessions"][i] for i in (0, 2, 3))
    org = api("organiser")
    assert (
        org.patch(
            f"/api/v1/sessions/{welcome['id']}", json={"starts_at": "2027-10-30T09:30"}
        ).status_code
        == 200
    )
    assert org.delete(f"/api/v1/sessions/{cafe['id']}").status_code == 204
    assert org.patch(f"/api/v1/sessions/{wrap_up['id']}", json={"position": 2}).status_code == 200
    added = org.post(
        f"/api/v1/events/{event.id}/sessions",
        json={
            "title": "Farewell dinner",
            "starts_at": "2027-10-31T19:00",
            "ends_at": "2027-10-31T21:00",
            "room_or_site": "Restaurant",
        },
    )
    assert added.status_code == 201
    second, _ = _entries_of(api, event, stub_worker)

    moved = second["Welcome at the city hall"]
    assert moved.uid == first["Welcome at the city hall"].uid
    assert moved.sequence == first["Welcome at the city hall"].sequence + 1
    assert moved.dtstart == datetime(2027, 10, 30, 9, 30, tzinfo=STO)
    unchanged = second["Reception centre"]
    assert unchanged.uid == first["Reception centre"].uid and unchanged.sequence == 0
    assert second["Wrap-up"].sequence == 0  # only the order changed: nothing for calendars
    gone = second["Library and language café"]
    assert gone.uid == first["Library and language café"].uid
    assert gone.status.value == "CANCELLED" and gone.sequence == 1
    assert second["Farewell dinner"].uid not in {e.uid for e in first.values()}

    # A third send without changes repeats the same SEQUENCEs and no longer lists the cancelled.
    third, _ = _entries_of(api, event, stub_worker)
    assert "Library and language café" not in third
    assert {k: (e.uid, e.sequence) for k, e in third.items()} == {
        k: (e.uid, e.sequence) for k, e in second.items() if k != "Library and language café"
    }


def test_chosen_sessions_only_where_choice_is_open(api, delegation, stub_worker):
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation
    from reslog_events.programme import operations

    event = delegation["event"]
    api("organiser").patch(
        f"/api/v1/events/{event.id}/programme", json={"allow_session_choice": True}
    )
    invitation = db.session.get(Invitation, delegation["members"][0]["invitation_id"])
    operations.choose_sessions(invitation, [delegation["sessions"][1]["id"]])
    db.session.commit()
    resp = _send(api, event, member_ids=[delegation["members"][0]["id"]])
    assert resp.json == {"queued": 1}
    stub_worker.drain()
    (cal,) = _calendars(stub_worker.messages())
    assert [e.summary for e in cal.events] == ["Reception centre"]


def test_a_member_who_declines_gets_only_cancellations(api, delegation, stub_worker):
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation, InvitationStatus

    event = delegation["event"]
    _send(api, event)
    stub_worker.drain()
    invitation = db.session.get(Invitation, delegation["members"][1]["invitation_id"])
    invitation.status = InvitationStatus.declined
    db.session.commit()
    assert _send(api, event).json == {"queued": 2}
    stub_worker.drain()
    last = [m for m in stub_worker.messages() if "Karin" in str(m["To"])][-1]
    (cal,) = _calendars([last])
    assert {e.status.value for e in cal.events} == {"CANCELLED"} and len(cal.events) == 4
    # Nothing new to tell: the next send skips them.
    assert _send(api, event).json == {"queued": 1}


def test_delegation_validation(api, delegation, create_invitation, create_event):
    event = delegation["event"]
    org = api("organiser")
    other = create_invitation(event=create_event()).invitation
    resp = org.post(f"/api/v1/events/{event.id}/delegation", json={"invitation_id": other.id})
    assert resp.status_code == 422 and "invitation_id" in resp.json["error"]["fields"]
    again = org.post(
        f"/api/v1/events/{event.id}/delegation",
        json={"invitation_id": delegation["members"][0]["invitation_id"]},
    )
    assert again.status_code == 409
    member_id = delegation["members"][0]["id"]
    bad = org.patch(f"/api/v1/delegation/{member_id}", json={"departs_at": "2027-10-26T10:00"})
    assert bad.status_code == 422 and "departs_at" in bad.json["error"]["fields"]
    listed = org.get(f"/api/v1/events/{event.id}/delegation").json
    assert listed["total"] == 2 and listed["items"][0]["arrives_at"].endswith("+02:00")
    assert api("staff").get(f"/api/v1/events/{event.id}/delegation").status_code == 403
    wrong = org.post(f"/api/v1/events/{event.id}/itinerary/send", json={"member_ids": [999]})
    assert wrong.status_code == 422


def test_sites_must_be_on_a_day_of_the_event(api, visit):
    org = api("organiser")
    resp = org.post(
        f"/api/v1/events/{visit.id}/sites", json={"day": "2027-11-02", "host_name": "Huddinge"}
    )
    assert resp.status_code == 422 and "day" in resp.json["error"]["fields"]
    nameless = org.post(f"/api/v1/events/{visit.id}/sites", json={"day": "2027-10-31"})
    assert nameless.status_code == 422 and "host_name" in nameless.json["error"]["fields"]


def test_site_host_from_the_directory(api, visit, create_organisation):
    host = create_organisation(name="Botkyrka kommun", country="SE", kind="international")
    resp = api("organiser").post(
        f"/api/v1/events/{visit.id}/sites",
        json={"day": "2027-10-31", "host_organisation_id": host.id},
    )
    assert resp.status_code == 201 and resp.json["host_name"] == "Botkyrka kommun"


def test_itinerary_pages(client, auth, delegation):
    from tests.support.forms import csrf_token

    event = delegation["event"]
    auth.login("organiser")
    page = client.get(f"/events/{event.id}/itinerary")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ayşe Yılmaz" in html and "Botkyrka kommun" in html and "Not sent" in html
    token = csrf_token(client, f"/events/{event.id}/itinerary")
    resp = client.post(
        f"/events/{event.id}/itinerary/sites",
        data={"csrf_token": token, "day": "2027-11-05", "host_name": "Tumba"},
    )
    assert resp.status_code == 422 and 'id="e-day" role="alert"' in resp.get_data(as_text=True)
    resp = client.post(f"/events/{event.id}/itinerary/send", data={"csrf_token": token})
    assert resp.status_code == 302
    html = client.get(f"/events/{event.id}/itinerary").get_data(as_text=True)
    assert "Not sent" not in html
    auth.logout()
    auth.login("staff")
    assert client.get(f"/events/{event.id}/itinerary").status_code == 403
