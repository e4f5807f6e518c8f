"""The iCalendar feeds: the public programme and each user's private feed by secret URL, valid
RFC 5545 with VTIMEZONEs (parsed back with `ical`), cacheable with ETag and Last-Modified."""

from __future__ import annotations

import re
from datetime import datetime

from ical.calendar_stream import IcsCalendarStream

from tests.programme.conftest import IST, STO, at


def _parse(resp):
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "text/calendar"
    return IcsCalendarStream.calendar_from_ics(resp.get_data(as_text=True))


def _publish(event):
    from reslog_events.core.columns import utcnow
    from reslog_events.extensions import db

    event.published_at = utcnow()
    db.session.commit()
    return event


def test_public_feed_has_published_public_events_with_zones(client, create_event):
    forum = _publish(
        create_event(
            title="Göç ve Yerel Yönetim Forumu",
            is_public=True,
            starts_at=at(IST, 2027, 5, 14, 10),
            ends_at=at(IST, 2027, 5, 14, 17),
        )
    )
    visit = _publish(
        create_event(
            title="Peer visit",
            is_public=True,
            timezone="Europe/Stockholm",
            starts_at=at(STO, 2027, 6, 2, 9),
            ends_at=at(STO, 2027, 6, 4, 16),
        )
    )
    _publish(create_event(title="Internal", is_public=False))
    create_event(title="Draft", is_public=True, status="draft")
    cal = _parse(client.get("/feeds/public.ics"))
    assert sorted(e.summary for e in cal.events) == ["Göç ve Yerel Yönetim Forumu", "Peer visit"]
    assert sorted(tz.tz_id for tz in cal.timezones) == ["Europe/Istanbul", "Europe/Stockholm"]
    by_title = {e.summary: e for e in cal.events}
    assert by_title["Peer visit"].dtstart == datetime(2027, 6, 2, 9, tzinfo=STO)
    assert by_title["Peer visit"].dtstart.utcoffset().total_seconds() == 7200
    assert by_title["Göç ve Yerel Yönetim Forumu"].uid == f"event-{forum.id}@reslog-events"
    assert by_title["Peer visit"].url.endswith(f"/programme/{visit.id}")
    raw = client.get("/feeds/public.ics").get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Stockholm:20270602T090000" in raw
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))


def test_public_feed_caching(client, create_event):
    from reslog_events.extensions import db

    event = _publish(create_event(is_public=True))
    first = client.get("/feeds/public.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified and "max-age" in first.headers["Cache-Control"]
    same = client.get("/feeds/public.ics")
    assert same.headers["ETag"] == etag  # the body is deterministic
    assert client.get("/feeds/public.ics", headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get("/feeds/public.ics", headers={"If-Modified-Since": modified}).status_code == 304
    )
    event.title = "Renamed"
    event.sequence += 1
    db.session.commit()
    changed = client.get("/feeds/public.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Renamed" in changed.get_data(as_text=True)


def test_an_event_leaving_the_feed_changes_it(client, create_event):
    from reslog_events.extensions import db

    event = _publish(create_event(is_public=True))
    first = client.get("/feeds/public.ics")
    event.is_public = False
    db.session.commit()
    again = client.get(
        "/feeds/public.ics",
        headers={
            "If-None-Match": first.headers["ETag"],
            "If-Modified-Since": first.headers["Last-Modified"],
        },
    )
    assert again.status_code == 200 and "BEGIN:VEVENT" not in again.get_data(as_text=True)


def _issue(client, auth, role="organiser", user=None):
    from tests.support.forms import post_form

    auth.login(role, user=user)
    resp = post_form(client, "/calendar/feed", {"action": "issue"})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    match = re.search(
        r"http://rsvp\.test(/feeds/u/[A-Za-z0-9_-]+\.ics)", resp.get_data(as_text=True)
    )
    assert match and "webcal://rsvp.test/feeds/u/" in resp.get_data(as_text=True)
    return match.group(1)


def test_private_feed_has_organised_and_invited_events(
    client, auth, create_user, create_event, create_contact, create_invitation
):
    from reslog_events.core.tokens import digest

    user = create_user("organiser", email="ayse@example.org", name="Ayşe")
    mine = create_event(title="Mine (draft)", organiser_id=user.id, status="draft")
    contact = create_contact(email="AYSE@example.org")
    invited = create_event(title="Invited")
    create_invitation(event=invited, contact=contact, status="accepted")
    declined = create_event(title="Declined")
    create_invitation(event=declined, contact=contact, status="declined")
    create_event(title="Someone else's")
    path = _issue(client, auth, user=user)
    secret = path.removeprefix("/feeds/u/").removesuffix(".ics")
    assert user.feed_token_hash == digest(secret) and secret not in user.feed_token_hash
    auth.logout()  # the feed needs no login: calendar programs fetch it
    resp = client.get(path)
    cal = _parse(resp)
    assert sorted(e.summary for e in cal.events) == ["Invited", "Mine (draft)"]
    assert {e.summary: e.status.value for e in cal.events}["Mine (draft)"] == "TENTATIVE"
    assert "private" in resp.headers["Cache-Control"]
    assert client.get(path, headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304
    assert mine.id and invited.id


def test_private_feed_is_revocable_and_reissuable(client, auth, create_user):
    from tests.support.forms import post_form

    user = create_user("coordinator")
    first = _issue(client, auth, role="coordinator", user=user)
    assert client.get(first).status_code == 200
    second = _issue(client, auth, role="coordinator", user=user)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    post_form(client, "/calendar/feed", {"action": "revoke"})
    assert client.get(second).status_code == 404
    assert client.get("/feeds/u/short.ics").status_code == 404
