"""Random streams of door actions (days in and around a three-day event, invitation statuses,
overrides, duplicates, offline replays, clocks running ahead) give the attendance report the
counts a reference computed in Python from the same stream gives."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reslog_events.checkin import admission

SETTINGS = settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
STATUSES = ["pending", "accepted", "declined", "tentative", "waitlisted", "substituted", "revoked"]
NOT_ATTENDING = {"declined", "waitlisted", "substituted"}
#: the event: 10:00 on 3 March 2031 to 17:00 on 5 March, İstanbul (UTC+3): days 0, 1, 2
STARTS = datetime(2031, 3, 3, 7, 0, tzinfo=UTC)
DAYS = 3
_nonces = itertools.count(1)

action = st.fixed_dictionaries(
    {
        "person": st.integers(0, 4),
        # -2 and -1 before the event, 3 after it
        "day": st.integers(-2, DAYS),
        # minutes after 00:30 local time on that day (up to 23:30)
        "minute": st.integers(0, 23 * 60),
        "override": st.booleans(),
        # live: sent at once; offline: queued and sent hours later; future: dated a day ahead
        # of the server's clock; replay: the nonce of an earlier action sent again
        "mode": st.sampled_from(["live", "live", "offline", "future", "replay"]),
        "delay_hours": st.integers(1, 30),
    }
)


def moment(day: int, minute: int) -> datetime:
    """00:30 local (21:30 UTC the evening before) + `minute`, on the event's day `day`."""
    return STARTS.replace(hour=0) + timedelta(days=day, minutes=minute - 150)


def reference(statuses: list[str], actions: list[dict]) -> dict[str, int]:
    """What the reports must say, from the door's rules alone."""
    days: dict[int, set[int]] = {}
    for act in actions:
        if act["mode"] in ("replay", "future"):
            continue  # a replay changes nothing; a future scan is never attendance
        status = statuses[act["person"]]
        if not 0 <= act["day"] < DAYS or status == "revoked":
            continue
        if status in NOT_ATTENDING and not act["override"]:
            continue
        days.setdefault(act["person"], set()).add(act["day"])
    attended = [p for p, d in days.items() if d]
    return {
        "attended": len(attended),
        "walk_ins": sum(1 for p in attended if statuses[p] != "accepted"),
        "attendance_days": sum(len(d) for d in days.values()),
        "unique_participants": len(attended),
    }


@pytest.fixture
def world(app, api, create_event, create_invitation, create_contact):
    staff, organiser = api("staff"), api("organiser")

    def play(statuses: list[str], actions: list[dict]) -> dict[str, int]:
        event = create_event(starts_at=STARTS, ends_at=STARTS + timedelta(days=2, hours=10))
        people = [
            create_invitation(event=event, contact=create_contact(), status=status)
            for status in statuses
        ]
        sent: list[dict] = []
        with pytest.MonkeyPatch.context() as mp:
            now = {"t": STARTS}
            mp.setattr(admission, "clock", lambda: now["t"])
            for act in actions:
                when = moment(act["day"], act["minute"])
                if act["mode"] == "replay" and sent:
                    body = sent[act["person"] % len(sent)]
                else:
                    body = {
                        "code": people[act["person"]].checkin_code,
                        "gate": "A",
                        "nonce": f"door-prop-{next(_nonces):08d}",
                    }
                    if act["override"]:
                        body["override"] = True
                    if act["mode"] == "offline":
                        body["scanned_at"] = when.isoformat()
                        when += timedelta(hours=act["delay_hours"])
                    elif act["mode"] == "future":
                        body["scanned_at"] = (when + timedelta(days=1)).isoformat()
                    sent.append(body)
                now["t"] = when
                resp = staff.post(f"/api/v1/events/{event.id}/checkins", json=body)
                assert resp.status_code in (201, 409), resp.get_data(as_text=True)
        report = organiser.get(
            "/api/v1/reports/attendance", query_string={"event_id": event.id, "group_by": "event"}
        )
        assert report.status_code == 200, report.get_data(as_text=True)
        totals = report.json["totals"]
        return {key: totals[key] for key in reference([], [])}

    return play


@SETTINGS
@given(
    statuses=st.lists(st.sampled_from(STATUSES), min_size=5, max_size=5),
    actions=st.lists(action, min_size=1, max_size=14),
)
def test_report_counts_follow_the_door_rules(world, statuses, actions):
    # A replay as the first action has nothing to replay: it is then a live scan.
    actions = [
        {**a, "mode": "live"} if a["mode"] == "replay" and i == 0 else a
        for i, a in enumerate(actions)
    ]
    assert world(statuses, actions) == reference(statuses, actions)
