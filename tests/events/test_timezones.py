"""Event times: offsets taken as given, naive times read in the event's zone, DST gaps refused,
responses in the zone's offset."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.events.test_api import new_event

STOCKHOLM = "Europe/Stockholm"


def create(api, **overrides):
    return api("organiser").post("/api/v1/events", json=new_event(**overrides))


@pytest.mark.parametrize(
    ("starts", "ends", "expected_start", "expected_end"),
    [
        # winter: CET
        (
            "2031-01-15T09:00",
            "2031-01-15T16:00",
            "2031-01-15T09:00:00+01:00",
            "2031-01-15T16:00:00+01:00",
        ),
        # summer: CEST
        (
            "2031-06-10T09:00",
            "2031-06-10T16:00",
            "2031-06-10T09:00:00+02:00",
            "2031-06-10T16:00:00+02:00",
        ),
        # a visit over the spring change: starts in CET, ends in CEST
        (
            "2031-03-29T10:00",
            "2031-03-30T17:00",
            "2031-03-29T10:00:00+01:00",
            "2031-03-30T17:00:00+02:00",
        ),
        # just before and after the gap of 30 March 2031 (02:00 → 03:00)
        (
            "2031-03-30T01:59",
            "2031-03-30T03:00",
            "2031-03-30T01:59:00+01:00",
            "2031-03-30T03:00:00+02:00",
        ),
    ],
)
def test_naive_times_are_wall_clock_in_the_event_zone(
    api, starts, ends, expected_start, expected_end
):
    resp = create(api, timezone=STOCKHOLM, starts_at=starts, ends_at=ends, rsvp_deadline=None)
    assert resp.status_code == 201, resp.json
    assert (resp.json["starts_at"], resp.json["ends_at"]) == (expected_start, expected_end)


def test_times_are_stored_as_the_right_instant(api, app):
    from reslog_events.events.models import Event
    from reslog_events.extensions import db

    resp = create(
        api,
        timezone=STOCKHOLM,
        starts_at="2031-06-10T09:00",
        ends_at="2031-06-10T16:00",
        rsvp_deadline=None,
    )
    event = db.session.get(Event, resp.json["id"])
    assert event.starts_at == datetime(2031, 6, 10, 7, 0, tzinfo=UTC)
    assert event.local_starts_at.hour == 9


@pytest.mark.parametrize("field", ["starts_at", "ends_at", "rsvp_deadline"])
def test_a_wall_time_skipped_by_dst_is_refused(api, field):
    values = {
        "timezone": STOCKHOLM,
        "starts_at": "2031-03-30T01:00",
        "ends_at": "2031-03-30T05:00",
        "rsvp_deadline": "2031-03-29T12:00",
    }
    values[field] = "2031-03-30T02:30"
    if field == "starts_at":
        values["starts_at"], values["ends_at"] = "2031-03-30T02:30", "2031-03-30T05:00"
    resp = create(api, **values)
    assert resp.status_code == 422
    message = resp.json["error"]["fields"][field]
    assert "does not exist" in message and STOCKHOLM in message


def test_an_ambiguous_wall_time_takes_the_first(api):
    # 26 October 2031: 03:00 CEST → 02:00 CET; 02:30 happens twice.
    resp = create(
        api,
        timezone=STOCKHOLM,
        starts_at="2031-10-26T02:30",
        ends_at="2031-10-26T04:00",
        rsvp_deadline=None,
    )
    assert resp.status_code == 201, resp.json
    assert resp.json["starts_at"] == "2031-10-26T02:30:00+02:00"
    assert resp.json["ends_at"] == "2031-10-26T04:00:00+01:00"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2031-05-14T07:00:00Z", "2031-05-14T10:00:00+03:00"),
        ("2031-05-14T07:00+00:00", "2031-05-14T10:00:00+03:00"),
        ("2031-05-14T09:00:00+02:00", "2031-05-14T10:00:00+03:00"),
        ("2031-05-14 10:00", "2031-05-14T10:00:00+03:00"),
    ],
)
def test_times_with_an_offset_are_taken_as_given(api, given, expected):
    resp = create(api, starts_at=given, ends_at="2031-05-14T18:00+03:00")
    assert resp.status_code == 201, resp.json
    assert resp.json["starts_at"] == expected
    assert resp.json["timezone"] == "Europe/Istanbul"


def test_default_zone_is_the_configured_one(api, app):
    body = new_event()
    del body["timezone"]
    resp = api("organiser").post("/api/v1/events", json=body)
    assert resp.status_code == 201
    assert resp.json["timezone"] == app.config["DEFAULT_TIMEZONE"]


def test_patch_reads_naive_times_in_the_event_zone(api):
    client = api("organiser")
    event = create(
        api,
        timezone=STOCKHOLM,
        starts_at="2031-06-10T09:00",
        ends_at="2031-06-10T16:00",
        rsvp_deadline=None,
    ).json
    resp = client.patch(f"/api/v1/events/{event['id']}", json={"starts_at": "2031-06-10T10:00"})
    assert resp.json["starts_at"] == "2031-06-10T10:00:00+02:00"
    gap = client.patch(
        f"/api/v1/events/{event['id']}",
        json={"starts_at": "2031-03-30T02:15", "ends_at": "2031-03-30T09:00"},
    )
    assert gap.status_code == 422 and "starts_at" in gap.json["error"]["fields"]


def test_changing_the_zone_alone_keeps_the_instant(api):
    client = api("organiser")
    event = create(api).json  # 10:00 Istanbul = 07:00 UTC
    resp = client.patch(f"/api/v1/events/{event['id']}", json={"timezone": STOCKHOLM})
    assert resp.status_code == 200
    assert resp.json["starts_at"] == "2031-05-14T09:00:00+02:00"


def test_changing_zone_and_times_reads_them_in_the_new_zone(api):
    client = api("organiser")
    event = create(api).json
    resp = client.patch(
        f"/api/v1/events/{event['id']}",
        json={
            "timezone": "Asia/Beirut",
            "starts_at": "2031-05-14T10:00",
            "ends_at": "2031-05-14T17:00",
        },
    )
    assert resp.json["starts_at"] == "2031-05-14T10:00:00+03:00"  # Beirut summer time
    assert resp.json["timezone"] == "Asia/Beirut"
    utc = client.patch(f"/api/v1/events/{event['id']}", json={"timezone": "UTC"}).json
    assert utc["starts_at"] in ("2031-05-14T07:00:00Z", "2031-05-14T07:00:00+00:00")
