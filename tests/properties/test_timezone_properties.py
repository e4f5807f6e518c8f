"""Properties of event times around daylight-saving changes (Europe/Stockholm: 02:00 → 03:00
and 03:00 → 02:00; Asia/Beirut: midnight → 01:00 and midnight → 23:00 the day before).

A naive wall time is read in the event's zone: one the clocks skip is a 422 naming the field,
one they repeat is the first occurrence, and the answer gives the instant with the zone's
offset at that moment, which reads back (GET, PATCH with the answer's own value) unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.events.test_api import new_event

ZONES = ("Europe/Stockholm", "Asia/Beirut")


def transitions(zone: ZoneInfo, years: range) -> list[datetime]:
    """The wall-clock minutes at which the zone's offset changes (naive, in the old offset)."""
    found = []
    for year in years:
        hour = datetime(year, 1, 1)
        while hour.year == year:
            nxt = hour + timedelta(hours=1)
            if hour.replace(tzinfo=zone).utcoffset() != nxt.replace(tzinfo=zone).utcoffset():
                minute = hour
                while (
                    minute.replace(tzinfo=zone).utcoffset() == hour.replace(tzinfo=zone).utcoffset()
                ):
                    minute += timedelta(minutes=1)
                found.append(minute)
            hour = nxt
    return found


def kind_of(wall: datetime, zone: ZoneInfo) -> str:
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    back = first.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if back != wall:
        return "skipped"
    return "repeated" if first.utcoffset() != second.utcoffset() else "plain"


EDGES = {name: transitions(ZoneInfo(name), range(2027, 2033)) for name in ZONES}


def test_the_edges_are_where_the_zones_say():
    stockholm, beirut = EDGES["Europe/Stockholm"], EDGES["Asia/Beirut"]
    assert len(stockholm) == len(beirut) == 12  # spring and autumn, six years
    # the first wall minute read in the new offset: 03:00 both ways in Stockholm; 01:00 in
    # spring and 00:00 in autumn in Beirut
    assert {(t.hour, t.minute) for t in stockholm} == {(3, 0)}
    assert {(t.month, t.hour) for t in beirut} == {(3, 1), (10, 0)}


@pytest.fixture
def organiser(app, api):
    return api("organiser")


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    zone_name=st.sampled_from(ZONES),
    edge=st.integers(0, 11),
    minutes=st.integers(-90, 150),
)
def test_naive_times_around_dst_changes(organiser, zone_name, edge, minutes):
    zone = ZoneInfo(zone_name)
    wall = EDGES[zone_name][edge] + timedelta(minutes=minutes)
    # ends two days later at noon: a time that exists in both zones
    ends = (wall + timedelta(days=2)).replace(hour=12, minute=0)
    resp = organiser.post(
        "/api/v1/events",
        json=new_event(
            timezone=zone_name,
            starts_at=wall.isoformat(timespec="minutes"),
            ends_at=ends.isoformat(timespec="minutes"),
            rsvp_deadline=None,
        ),
    )
    kind = kind_of(wall, zone)
    if kind == "skipped":
        assert resp.status_code == 422, resp.json
        assert "starts_at" in resp.json["error"]["fields"]
        return
    assert resp.status_code == 201, resp.json
    first = wall.replace(tzinfo=zone, fold=0)
    answered = datetime.fromisoformat(resp.json["starts_at"])
    # the same instant (compared as timestamps: Python never equates aware times in a fold)
    assert answered.timestamp() == first.timestamp()  # the first occurrence when repeated
    assert answered.utcoffset() == first.utcoffset()  # given in the zone's offset then
    assert answered.astimezone(zone).replace(tzinfo=None) == wall
    event_id = resp.json["id"]
    again = organiser.get(f"/api/v1/events/{event_id}").json
    assert again["starts_at"] == resp.json["starts_at"]
    # sending back what the API answered changes nothing
    patched = organiser.patch(
        f"/api/v1/events/{event_id}",
        json={"starts_at": resp.json["starts_at"], "ends_at": resp.json["ends_at"]},
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["starts_at"] == resp.json["starts_at"]
    assert patched.json["ends_at"] == resp.json["ends_at"]


@pytest.mark.parametrize("zone_name", ZONES)
def test_the_second_occurrence_is_reachable_with_an_offset(organiser, zone_name):
    zone = ZoneInfo(zone_name)
    autumn = next(t for t in EDGES[zone_name] if t.month >= 9)
    wall = autumn - timedelta(minutes=30)  # repeated: before and after the change
    assert kind_of(wall, zone) == "repeated"
    second = wall.replace(tzinfo=zone, fold=1)
    resp = organiser.post(
        "/api/v1/events",
        json=new_event(
            timezone=zone_name,
            starts_at=second.isoformat(),
            ends_at=(second + timedelta(hours=3)).isoformat(),
            rsvp_deadline=None,
        ),
    )
    assert resp.status_code == 201, resp.json
    answered = datetime.fromisoformat(resp.json["starts_at"])
    assert answered.timestamp() == second.timestamp()
    assert answered.utcoffset() == second.utcoffset()
