"""POST /api/v1/events/<id>/checkins over the days of an event: once a day per person, the day
in the event's zone, queued scans for the day they were made, the earliest scan kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reslog_events.checkin import admission
from reslog_events.extensions import db
from tests.checkin.door_records import checkins, logs


@pytest.fixture
def two_day_event(create_event):
    # 09:00 on 3 March to 17:00 on 4 March, Istanbul time (UTC+3)
    return create_event(
        kind="workshop",
        starts_at=datetime(2031, 3, 3, 6, 0, tzinfo=UTC),
        ends_at=datetime(2031, 3, 4, 14, 0, tzinfo=UTC),
        timezone="Europe/Istanbul",
    )


def test_two_day_event_admits_each_person_once_a_day(door, two_day_event, invitee, monkeypatch):
    guest = invitee(two_day_event)
    staff = door(two_day_event)
    now = {"t": datetime(2031, 3, 3, 7, 0, tzinfo=UTC)}  # 10:00 local, day 1
    monkeypatch.setattr(admission, "clock", lambda: now["t"])

    day1 = staff.scan(guest.checkin_code, gate="A")
    assert day1.status_code == 201 and day1.json["day"] == "2031-03-03"

    now["t"] = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)  # 15:00, still day 1
    again = staff.scan(guest.checkin_code, gate="B")
    assert again.status_code == 409 and again.json["result"] == "already_checked_in"
    assert again.json["first_checked_in_at"] == "2031-03-03T07:00:00+00:00"
    assert again.json["first_gate"] == "A"

    now["t"] = datetime(2031, 3, 4, 6, 30, tzinfo=UTC)  # 09:30 local, day 2
    day2 = staff.scan(guest.checkin_code, gate="B")
    assert day2.status_code == 201 and day2.json["day"] == "2031-03-04"
    assert [c.day.isoformat() for c in checkins()] == ["2031-03-03", "2031-03-04"]

    stats = staff.get("/checkins/stats").json
    assert stats["day"] == "2031-03-04" and stats["checked_in"] == 1


def test_day_follows_the_event_zone_not_utc(door, two_day_event, invitee, monkeypatch):
    """23:30 UTC on 3 March is already 4 March in Istanbul."""
    guest = invitee(two_day_event)
    monkeypatch.setattr(admission, "clock", lambda: datetime(2031, 3, 4, 6, 0, tzinfo=UTC))
    body = door(two_day_event).scan(guest.checkin_code, scanned_at="2031-03-03T23:30:00Z").json
    assert body["day"] == "2031-03-04"


def test_queued_scans_count_for_the_day_they_were_made(door, two_day_event, invitee, monkeypatch):
    guest = invitee(two_day_event)
    monkeypatch.setattr(admission, "clock", lambda: datetime(2031, 3, 4, 8, 0, tzinfo=UTC))
    staff = door(two_day_event)
    first = staff.scan(guest.checkin_code, scanned_at="2031-03-03T10:00:00+03:00")
    assert first.status_code == 201 and first.json["day"] == "2031-03-03"
    # A wall-clock time without offset is the event's own.
    second = staff.scan(guest.checkin_code, scanned_at="2031-03-03T11:00:00")
    assert second.json["result"] == "already_checked_in"
    assert second.json["checked_in_at"] == "2031-03-03T08:00:00+00:00"
    assert staff.scan(guest.checkin_code).status_code == 201  # today, day 2


def test_earliest_scan_wins(door, create_event, invitee, monkeypatch):
    """Gate B scanned at 10:00 offline and uploads at 10:05; gate A scanned online at 10:03.
    The check-in keeps 10:00 at gate B; B hears it duplicates A's scan."""
    t0 = datetime(2031, 5, 5, 7, 0, tzinfo=UTC)
    event = create_event(starts_at=t0 - timedelta(hours=1))
    guest = invitee(event)
    now = {"t": t0 + timedelta(minutes=3)}
    monkeypatch.setattr(admission, "clock", lambda: now["t"])
    online = door(event).scan(guest.checkin_code, gate="A")
    assert online.status_code == 201
    now["t"] = t0 + timedelta(minutes=5)
    queued = door(event).scan(guest.checkin_code, gate="B", scanned_at=t0.isoformat())
    assert queued.status_code == 409
    body = queued.json
    assert body["result"] == "already_checked_in"
    assert body["other_gate"] == "A"
    assert body["other_checked_in_at"] == online.json["checked_in_at"]
    assert (body["first_gate"], body["first_checked_in_at"]) == ("B", t0.isoformat())
    db.session.expire_all()
    [row] = checkins()
    assert (row.gate, row.checked_in_at) == ("B", t0)
    assert len(logs()) == 2  # both scans are in the log: the duplicate is reported, not lost


def test_scanned_at_a_little_ahead_counts_as_now_far_ahead_is_wrong_day(
    door, create_event, invitee, monkeypatch
):
    now = datetime(2031, 5, 5, 7, 0, tzinfo=UTC)
    event = create_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2))
    guest = invitee(event)
    monkeypatch.setattr(admission, "clock", lambda: now)
    future = door(event).scan(guest.checkin_code, scanned_at="2031-05-06T07:00:00Z")
    assert future.status_code == 409 and future.json["result"] == "wrong_day"
    assert future.json["reason"] == "future" and not checkins()
    body = door(event).scan(guest.checkin_code, scanned_at="2031-05-05T07:04:00Z").json
    assert body["result"] == "ok" and body["checked_in_at"] == now.isoformat()
