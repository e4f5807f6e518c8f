"""The door's rules for the donor's numbers: not_attending and the override, wrong_day, the
capacity warning; what reaches the reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.checkin import admission
from reslog_events.checkin.models import CheckIn, ScanLog
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation


def checkins() -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id)))


def report(api, event, group_by: str = "event") -> dict:
    resp = api("organiser").get(
        "/api/v1/reports/attendance", query_string={"event_id": event.id, "group_by": group_by}
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json["totals"]


@pytest.fixture
def event(create_event):
    return create_event(title="Kapsayıcı Hizmetler Forumu")


# -- not_attending and the override ------------------------------------------------------------


def test_declined_is_not_attending_with_the_day_they_declined(door, event, invitee):
    declined_at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    guest = invitee(event, name="Reyhan Kaya", status="declined", responded_at=declined_at)
    resp = door(event).scan(guest.checkin_code)
    assert resp.status_code == 409
    body = resp.json
    assert (body["result"], body["status"]) == ("not_attending", "declined")
    assert body["responded_at"] == declined_at.isoformat()
    assert body["full_name"] == "Reyhan Kaya"
    assert body["error"]["code"] == "not_attending"
    assert checkins() == []
    [log] = db.session.scalars(sa.select(ScanLog)).all()
    assert (log.result, log.status_code) == ("not_attending", 409)


def test_waitlisted_is_not_attending_with_their_place(door, event, invitee):
    start = utcnow() - timedelta(days=3)
    for n in range(3):
        last = invitee(event, status="waitlisted", waitlisted_at=start + timedelta(hours=n))
    body = door(event).scan(last.checkin_code).json
    assert (body["result"], body["status"], body["waitlist_position"]) == (
        "not_attending",
        "waitlisted",
        3,
    )


def test_substituted_is_not_attending(door, event, invitee):
    guest = invitee(event, status="substituted")
    body = door(event).scan(guest.checkin_code).json
    assert (body["result"], body["status"]) == ("not_attending", "substituted")
    assert body["waitlist_position"] is None


def test_admit_anyway_is_an_audited_override_counted_as_a_walk_in(
    api, door, event, invitee, create_user
):
    staff_user = create_user("staff")
    declined = invitee(event, status="declined")
    accepted = invitee(event)
    staff = door(event)
    assert staff.scan(declined.checkin_code).status_code == 409
    assert report(api, event)["attended"] == 0

    resp = staff.scan(declined.checkin_code, override=True, nonce="override-0001")
    assert resp.status_code == 201
    body = resp.json
    assert (body["result"], body["override"], body["method"], body["status"]) == (
        "ok",
        True,
        "override",
        "declined",
    )
    [row] = checkins()
    assert (row.method, row.invitation_id, row.id) == (
        "override",
        declined.invitation.id,
        body["checkin_id"],
    )
    [audit] = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "checkin.override")
    ).all()
    assert audit.object_id == declined.invitation.id
    assert audit.data["status"] == "declined" and audit.data["checkin_id"] == row.id
    assert audit.user_id is not None and audit.user_id != staff_user.id  # the token's user

    # The same nonce again: the same answer, one check-in, one audit row.
    again = staff.scan(declined.checkin_code, override=True, nonce="override-0001")
    assert again.status_code == 201 and again.json["checkin_id"] == row.id
    assert len(checkins()) == 1
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(AuditLog.action == "checkin.override"))
        == 1
    )
    # A second override the same day is already_checked_in.
    assert staff.scan(declined.checkin_code, override=True).json["result"] == "already_checked_in"

    # An override asked for an accepted invitee is an ordinary scan.
    normal = staff.scan(accepted.checkin_code, override=True).json
    assert (normal["result"], normal["method"], normal["override"]) == ("ok", "scan", False)

    # The log shows it, the reports count it: attended, and a walk-in (had not accepted).
    log = staff.get("/scans", query_string={"result": "ok"}).json["items"]
    by_person = {item["invitation_id"]: item for item in log}
    assert by_person[declined.invitation.id]["override"] is True
    assert by_person[declined.invitation.id]["method"] == "override"
    assert by_person[accepted.invitation.id]["override"] is False
    for group_by in ("event", "month", "organisation"):
        totals = report(api, event, group_by)
        assert (totals["attended"], totals["walk_ins"], totals["attendance_days"]) == (2, 1, 2)
        assert (totals["unique_participants"], totals["declined"]) == (2, 1)


def test_manual_check_in_of_a_waitlisted_person_needs_the_override(door, event, invitee):
    guest = invitee(event, status="waitlisted", waitlisted_at=utcnow())
    staff = door(event)
    refused = staff.manual(guest.invitation.id)
    assert refused.status_code == 409 and refused.json["result"] == "not_attending"
    admitted = staff.manual(guest.invitation.id, override=True)
    assert admitted.status_code == 201 and admitted.json["method"] == "override"


def test_override_does_not_lift_a_revocation(door, event, invitee):
    guest = invitee(event, status="revoked")
    assert door(event).scan(guest.checkin_code, override=True).json["result"] == "revoked"
    assert checkins() == []


# -- wrong_day ----------------------------------------------------------------------------------


def test_a_scan_before_the_event_is_wrong_day_and_tells_the_dates(door, create_event, invitee):
    starts = datetime(2031, 12, 22, 7, 0, tzinfo=UTC)  # 10:00 in İstanbul
    event = create_event(starts_at=starts, ends_at=starts + timedelta(days=1, hours=8))
    guest = invitee(event)
    resp = door(event).scan(guest.checkin_code)
    assert resp.status_code == 409
    body = resp.json
    assert (body["result"], body["reason"]) == ("wrong_day", "early")
    assert (body["first_day"], body["last_day"]) == ("2031-12-22", "2031-12-23")
    assert (
        "2031-12-22" in body["message"] and body["full_name"] == guest.invitation.contact.full_name
    )
    assert checkins() == []


def test_days_of_a_multi_day_event_in_its_own_zone(door, create_event, invitee, monkeypatch):
    # 10:00 on 3 March to 17:00 on 4 March, İstanbul (UTC+3).
    starts = datetime(2031, 3, 3, 7, 0, tzinfo=UTC)
    event = create_event(starts_at=starts, ends_at=starts + timedelta(days=1, hours=7))
    guest = invitee(event)
    staff = door(event)
    now = {"t": datetime(2031, 3, 2, 20, 59, tzinfo=UTC)}  # 23:59 on 2 March
    monkeypatch.setattr(admission, "clock", lambda: now["t"])
    assert staff.scan(guest.checkin_code).json["result"] == "wrong_day"
    now["t"] = datetime(2031, 3, 2, 21, 1, tzinfo=UTC)  # 00:01 on 3 March
    assert staff.scan(guest.checkin_code).json["result"] == "ok"
    now["t"] = datetime(2031, 3, 4, 20, 0, tzinfo=UTC)  # 23:00 on 4 March
    assert staff.scan(guest.checkin_code).json["result"] == "ok"
    now["t"] = datetime(2031, 3, 4, 21, 30, tzinfo=UTC)  # 00:30 on 5 March
    late = staff.scan(guest.checkin_code).json
    assert (late["result"], late["reason"], late["day"]) == ("wrong_day", "late", "2031-03-05")
    assert [c.day for c in checkins()] == [date(2031, 3, 3), date(2031, 3, 4)]


def test_queued_scans_from_1970_or_the_future_are_never_attendance(door, event, invitee):
    guest = invitee(event)
    staff = door(event)
    old = staff.scan(guest.checkin_code, scanned_at="1970-01-01T00:00:00Z")
    assert (old.status_code, old.json["result"], old.json["reason"]) == (409, "wrong_day", "early")
    ahead = (utcnow() + timedelta(days=1)).isoformat()
    future = staff.scan(guest.checkin_code, scanned_at=ahead).json
    assert (future["result"], future["reason"]) == ("wrong_day", "future")
    # a time outside 1900–2200 is no time at all: refused as input, before the door's rules
    far = staff.scan(guest.checkin_code, scanned_at="9999-12-31T23:59:59+14:00")
    assert far.status_code == 422 and "scanned_at" in far.json["error"]["fields"]
    assert checkins() == []
    assert staff.scan(guest.checkin_code).json["result"] == "ok"


def test_wrong_day_comes_before_not_attending_and_the_override(door, create_event, invitee):
    event = create_event(starts_at=utcnow() + timedelta(days=10))
    guest = invitee(event, status="declined")
    body = door(event).scan(guest.checkin_code, override=True).json
    assert body["result"] == "wrong_day"
    assert checkins() == []


def test_walk_in_on_another_day_adds_nobody(door, create_event):
    event = create_event(starts_at=utcnow() + timedelta(days=10))
    resp = door(event).walk_in(full_name="Kozan'dan Gelen")
    assert resp.status_code == 409 and resp.json["result"] == "wrong_day"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


# -- capacity ---------------------------------------------------------------------------------


def test_over_capacity_every_further_ok_carries_a_warning(door, create_event, invitee):
    event = create_event(capacity=2)
    guests = [invitee(event) for _ in range(4)]
    staff = door(event)
    answers = [staff.scan(g.checkin_code).json for g in guests]
    assert [a["result"] for a in answers] == ["ok"] * 4  # never refused
    assert [a["over_capacity"] for a in answers] == [False, False, True, True]
    assert [a["checked_in_today"] for a in answers] == [1, 2, 3, 4]
    assert answers[2]["message"] == "Checked in. Over capacity: 3 of 2."
    stats = staff.get("/checkins/stats").json
    assert (stats["checked_in"], stats["capacity"], stats["over_capacity"]) == (4, 2, True)
    walk_in = staff.walk_in(full_name="Beşinci Kişi").json
    assert walk_in["over_capacity"] is True and walk_in["checked_in_today"] == 5


def test_without_a_capacity_no_warning(door, event, invitee):
    body = door(event).scan(invitee(event).checkin_code).json
    assert body["over_capacity"] is False and body["capacity"] is None


# -- what the phone keeps; the scanner page ----------------------------------------------------


def _under_way_within_today(zone: str = "Europe/Istanbul") -> dict:
    """An event under way now that starts and ends on today's date where it takes place (the
    default one, an hour ago to five hours on, crosses midnight in Istanbul from 16:00 UTC)."""
    local = utcnow().astimezone(ZoneInfo(zone)).replace(microsecond=0)
    midnight = local.replace(hour=0, minute=0, second=0)
    starts = max(local - timedelta(hours=1), midnight)
    ends = min(local + timedelta(hours=1), midnight + timedelta(hours=23, minutes=59))
    return {"starts_at": starts.astimezone(UTC), "ends_at": ends.astimezone(UTC), "timezone": zone}


def test_expected_list_knows_days_statuses_and_waitlist(door, create_event, invitee):
    event = create_event(capacity=30, **_under_way_within_today())
    invitee(event, status="declined", responded_at=datetime(2026, 12, 12, 8, tzinfo=UTC))
    invitee(event, status="waitlisted", waitlisted_at=utcnow())
    data = door(event).get("/checkins/expected").json
    assert data["first_day"] == data["last_day"] == data["day"]
    assert data["capacity"] == 30 and data["ends_at"]
    by_status = {item["status"]: item for item in data["items"]}
    assert by_status["declined"]["responded_at"].startswith("2026-12-12T08:00")
    assert by_status["waitlisted"]["waitlist_position"] == 1


def test_scanner_page_says_when_the_event_is_not_today(client, auth, create_event):
    later = create_event(starts_at=datetime(2031, 12, 22, 7, tzinfo=UTC))
    today = create_event()
    auth.login("staff")
    html = client.get(f"/events/{later.id}/checkin?lang=en").get_data(as_text=True)
    assert "This event is not today: it takes place on Dec 22, 2031." in html
    html = client.get(f"/events/{today.id}/checkin?lang=en").get_data(as_text=True)
    assert 'id="day-notice"' in html and "This event is not today" not in html.split("<script")[0]


def test_service_worker_and_manifest(client, auth, event):
    auth.login("staff")
    worker = client.get(f"/events/{event.id}/checkin-sw.js")
    assert worker.status_code == 200
    assert worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    script = worker.get_data(as_text=True)
    assert f'"/events/{event.id}/checkin"' in script and "/static/js/checkin.js" in script
    assert f"reslog-checkin-{event.id}-" in script
    manifest = client.get(f"/events/{event.id}/checkin/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.json
    assert data["start_url"] == f"/events/{event.id}/checkin" and data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    page = client.get(f"/events/{event.id}/checkin").get_data(as_text=True)
    assert f"/events/{event.id}/checkin/manifest.webmanifest" in page


def test_coordinators_get_no_service_worker(client, auth, event):
    auth.login("coordinator")
    assert client.get(f"/events/{event.id}/checkin-sw.js").status_code in (302, 403, 404)


# -- e-mail status and reminders ----------------------------------------------------------------


def test_walk_in_without_an_email_has_no_email_status(api, door, event):
    body = door(event).walk_in(full_name="Adressiz Ahmet").json
    listed = api("organiser").get(f"/api/v1/events/{event.id}/invitations").json["items"]
    [item] = [i for i in listed if i["id"] == body["invitation_id"]]
    assert item["email_status"] is None


def test_reminders_skip_people_already_checked_in(door, event, invitee):
    from reslog_events.invitations.reminders import remind_pending

    came = invitee(event, status="pending")
    away = invitee(event, status="pending")
    assert door(event).scan(came.checkin_code).json["result"] == "ok"
    outcome = remind_pending(db.session.get(type(event), event.id))
    db.session.commit()
    db.session.expire_all()
    assert outcome.reminded == 1
    assert db.session.get(Invitation, away.invitation.id).reminded_at is not None
    assert db.session.get(Invitation, came.invitation.id).reminded_at is None
