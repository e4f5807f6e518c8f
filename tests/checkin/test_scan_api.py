"""POST /api/v1/events/<id>/checkins: every answer of the contract, replays, days, authz."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from reslog_events.checkin import admission
from reslog_events.checkin.models import CheckIn, ScanLog
from reslog_events.extensions import db
from reslog_events.invitations.models import InvitationStatus
from reslog_events.invitations.operations import rotate_checkin_code


def checkins(invitation_id=None) -> list[CheckIn]:
    stmt = sa.select(CheckIn).order_by(CheckIn.id)
    if invitation_id is not None:
        stmt = stmt.where(CheckIn.invitation_id == invitation_id)
    return list(db.session.scalars(stmt))


def logs() -> list[ScanLog]:
    return list(db.session.scalars(sa.select(ScanLog).order_by(ScanLog.id)))


@pytest.fixture
def event(create_event):
    return create_event(title="Göç ve Kent Forumu")


def test_ok_names_the_attendee_and_records_one_checkin(door, event, invitee):
    guest = invitee(event, name="Ayşe Yılmaz", organisation="Şişli Belediyesi")
    resp = door(event).scan(guest.checkin_code, gate="B")
    assert resp.status_code == 201
    body = resp.json
    assert body["result"] == "ok"
    assert body["full_name"] == "Ayşe Yılmaz"
    assert body["organisation"] == "Şişli Belediyesi"
    assert body["gate"] == "B"
    assert body["invitation_id"] == guest.invitation.id
    assert "error" not in body
    [row] = checkins()
    assert (row.invitation_id, row.gate, row.method, row.id) == (
        guest.invitation.id,
        "B",
        "scan",
        body["checkin_id"],
    )
    [log] = logs()
    assert (log.result, log.status_code, log.gate, log.invitation_id) == (
        "ok",
        201,
        "B",
        guest.invitation.id,
    )
    # The log keeps what was scanned, but never the whole (secret) code.
    assert guest.checkin_code not in log.scanned
    assert log.scanned.startswith("RSL1-") and len(log.scanned) <= 12


def test_scanner_typing_is_forgiven(door, event, invitee):
    guest = invitee(event)
    resp = door(event).scan(f"  {guest.checkin_code.lower()}\n")
    assert resp.status_code == 201 and resp.json["result"] == "ok"


def test_second_scan_is_already_checked_in_with_first_time_and_gate(door, event, invitee):
    guest = invitee(event)
    first = door(event).scan(guest.checkin_code, gate="A").json
    resp = door(event).scan(guest.checkin_code, gate="B")
    assert resp.status_code == 409
    body = resp.json
    assert body["result"] == "already_checked_in"
    assert body["first_checked_in_at"] == first["checked_in_at"]
    assert body["first_gate"] == "A"
    assert body["full_name"] == guest.invitation.contact.full_name
    local = datetime.fromisoformat(first["checked_in_at"]).astimezone(event.zone)
    assert body["message"] == f"Already checked in at {local:%H:%M} (gate A)."
    assert body["error"]["code"] == "already_checked_in"
    assert len(checkins()) == 1
    assert [log.result for log in logs()] == ["ok", "already_checked_in"]


def test_unknown_code_is_invalid_and_logged(door, event):
    resp = door(event).scan("https://example.org/wifi?password=secret-and-long-text-here", gate="A")
    assert resp.status_code == 404
    assert resp.json["result"] == "invalid"
    assert resp.json["error"]["code"] == "invalid"
    [log] = logs()
    assert log.result == "invalid" and log.invitation_id is None
    assert log.scanned.startswith("HTTPS://EXAMPLE.ORG") and log.scanned.endswith("…")
    assert len(log.scanned) == 41


def test_code_of_another_event_is_wrong_event(door, event, invitee, create_event):
    other = create_event(title="Su Yönetimi Çalıştayı")
    guest = invitee(other)
    resp = door(event).scan(guest.checkin_code)
    assert resp.status_code == 409
    assert resp.json["result"] == "wrong_event"
    assert resp.json["event_id"] == other.id
    assert resp.json["event_title"] == "Su Yönetimi Çalıştayı"
    assert checkins() == []


def test_revoked_invitation_is_revoked(door, event, invitee):
    guest = invitee(event, status="revoked")
    resp = door(event).scan(guest.checkin_code)
    assert resp.status_code == 409
    assert resp.json["result"] == "revoked"
    assert checkins() == []


def test_rotated_away_code_is_revoked_and_the_new_code_works(door, event, invitee):
    guest = invitee(event)
    old = guest.checkin_code
    new = rotate_checkin_code(guest.invitation)
    db.session.commit()
    resp = door(event).scan(old)
    assert resp.status_code == 409 and resp.json["result"] == "revoked"
    assert resp.json["reason"] == "retired_code"
    assert resp.json["full_name"] == guest.invitation.contact.full_name
    assert door(event).scan(new).json["result"] == "ok"


def test_cancelled_event_refuses_every_scan(door, invitee, create_event):
    event = create_event(status="cancelled")
    guest = invitee(event)
    resp = door(event).scan(guest.checkin_code)
    assert resp.status_code == 409
    assert resp.json["result"] == "event_cancelled"
    assert checkins() == []
    assert [log.result for log in logs()] == ["event_cancelled"]


def test_declined_invitee_is_not_attending_unless_admitted_anyway(door, event, invitee):
    guest = invitee(event, status="declined")
    refused = door(event).scan(guest.checkin_code)
    assert refused.status_code == 409 and refused.json["result"] == "not_attending"
    assert refused.json["status"] == "declined" and not checkins()
    body = door(event).scan(guest.checkin_code, override=True).json
    assert body["result"] == "ok" and body["status"] == "declined" and body["override"] is True


def test_unknown_event_is_a_plain_404(door, event, invitee):
    guest = invitee(event)
    resp = door(event).client.post(
        "/api/v1/events/999999/checkins",
        json={"code": guest.checkin_code, "gate": "A", "nonce": "n-12345678"},
    )
    assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found"


# -- nonces -----------------------------------------------------------------------------------


def test_same_nonce_replays_the_first_answer_and_checks_in_once(door, event, invitee):
    guest = invitee(event)
    first = door(event).scan(guest.checkin_code, nonce="scan-0001-abcdef")
    again = door(event).scan(guest.checkin_code, nonce="scan-0001-abcdef")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert len(checkins()) == 1
    assert len(logs()) == 1


def test_replayed_refusal_stays_the_same(door, event):
    first = door(event).scan("NOT-A-CODE", nonce="scan-0002-abcdef")
    again = door(event).scan("NOT-A-CODE", nonce="scan-0002-abcdef")
    assert again.status_code == first.status_code == 404
    assert again.json == first.json
    assert len(logs()) == 1


def test_replay_after_another_gate_scanned_still_says_ok(door, event, invitee):
    """A phone that lost the answer to its scan and resends it hears what happened then."""
    guest = invitee(event)
    door(event).scan(guest.checkin_code, gate="A", nonce="gate-a-000001")
    door(event).scan(guest.checkin_code, gate="B", nonce="gate-b-000001")
    replay = door(event).scan(guest.checkin_code, gate="A", nonce="gate-a-000001")
    assert replay.status_code == 201 and replay.json["result"] == "ok"
    assert len(checkins()) == 1


def test_nonce_reused_for_another_code_is_refused(door, event, invitee):
    one, two = invitee(event), invitee(event)
    door(event).scan(one.checkin_code, nonce="scan-0003-abcdef")
    resp = door(event).scan(two.checkin_code, nonce="scan-0003-abcdef")
    assert resp.status_code == 422
    assert "nonce" in resp.json["error"]["fields"]
    assert [c.invitation_id for c in checkins()] == [one.invitation.id]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"gate": "A", "nonce": "scan-0004-abcdef"}, "code"),
        ({"code": "RSL1-X", "gate": "A"}, "nonce"),
        ({"code": "RSL1-X", "gate": "A", "nonce": "short"}, "nonce"),
        ({"code": "RSL1-X", "gate": "A", "nonce": "has spaces in it"}, "nonce"),
        ({"code": "", "gate": "A", "nonce": "scan-0004-abcdef"}, "code"),
        ({"code": "RSL1-X", "gate": "A" * 41, "nonce": "scan-0004-abcdef"}, "gate"),
        (
            {"code": "RSL1-X", "gate": "A", "nonce": "scan-0004-abcdef", "scanned_at": "x"},
            "scanned_at",
        ),
        ({"code": "RSL1-X", "gate": "A", "nonce": "scan-0004-abcdef", "extra": 1}, "extra"),
        # every scan is logged with its gate: none, or a blank one, is refused
        ({"code": "RSL1-X", "nonce": "scan-0004-abcdef"}, "gate"),
        ({"code": "RSL1-X", "gate": "", "nonce": "scan-0004-abcdef"}, "gate"),
        ({"code": "RSL1-X", "gate": " \t ", "nonce": "scan-0004-abcdef"}, "gate"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(door, event, body, field):
    resp = door(event).client.post(f"/api/v1/events/{event.id}/checkins", json=body)
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]
    assert logs() == []


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("tr", "Kapıya bir ad verin, ör. A."),
        ("ar", "أعطِ البوابة اسمًا، مثل A."),
        ("sv", "Ge ingången ett namn, t.ex. A."),
    ],
)
def test_a_blank_gate_is_refused_in_the_callers_language(door, event, invitee, language, message):
    guest = invitee(event)
    staff = door(event)
    url = f"/api/v1/events/{event.id}"
    nonce = "gate-0001-abcdef"
    bodies = [
        ("checkins", {"code": guest.checkin_code, "gate": "  ", "nonce": nonce}),
        ("checkins/manual", {"invitation_id": guest.invitation.id, "gate": "", "nonce": nonce}),
        ("walk-ins", {"full_name": "Ayşe Çukurova", "gate": " ", "nonce": nonce}),
    ]
    answers = [
        staff.client.post(f"{url}/{path}?lang={language}", json=body) for path, body in bodies
    ]
    for resp in answers:
        assert resp.status_code == 422, resp.json
        # (the message names the field first: "Kapı: …")
        fields = resp.json["error"]["fields"]
        assert set(fields) == {"gate"} and fields["gate"].endswith(message), fields
    assert logs() == []
    assert staff.scan(guest.checkin_code, gate=" Ana  giriş ").json["gate"] == "Ana giriş"


def test_malformed_and_non_json_bodies(door, event):
    client = door(event).client
    url = f"/api/v1/events/{event.id}/checkins"
    assert client.post(url, data="{nope", content_type="application/json").status_code == 400
    assert client.post(url, data="code=x").status_code == 415


# -- times and days ---------------------------------------------------------------------------


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


# -- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "organiser", "admin"])
def test_door_roles_may_check_in(door, event, invitee, role):
    assert door(event, role).scan(invitee(event).checkin_code).status_code == 201


def test_coordinators_may_not_check_in(door, event, invitee):
    guest = invitee(event)
    resp = door(event, "coordinator").scan(guest.checkin_code)
    assert resp.status_code == 403 and resp.json["error"]["code"] == "forbidden"
    assert checkins() == [] and logs() == []


def test_no_token_is_401(client, event, invitee):
    guest = invitee(event)
    resp = client.post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": guest.checkin_code, "gate": "A", "nonce": "scan-0005-abcdef"},
    )
    assert resp.status_code == 401
    assert checkins() == []


def test_logged_in_page_session_needs_the_csrf_header(client, auth, event, invitee):
    from tests.support.forms import csrf_token

    guest = invitee(event)
    auth.login("staff")
    url = f"/api/v1/events/{event.id}/checkins"
    body = {"code": guest.checkin_code, "gate": "A", "nonce": "scan-0006-abcdef"}
    refused = client.post(url, json=body)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "csrf"
    token = csrf_token(client, "/login")
    resp = client.post(url, json=body, headers={"X-CSRFToken": token})
    assert resp.status_code == 201 and resp.json["result"] == "ok"
    [log] = logs()
    assert log.user_id == auth.user.id


def test_revoked_status_is_checked_before_admitting(door, event, invitee):
    guest = invitee(event)
    guest.invitation.status = InvitationStatus.revoked
    db.session.commit()
    assert door(event).scan(guest.checkin_code).json["result"] == "revoked"


def test_scans_give_their_connection_back_out_of_autocommit(door, event, invitee):
    """On PostgreSQL a scan runs in autocommit until it needs a transaction; every pooled
    connection it used goes back to the pool as the others expect it (transactions)."""
    guest = invitee(event)
    assert door(event).scan(guest.checkin_code).json["result"] == "ok"
    assert door(event).scan(guest.checkin_code).json["result"] == "already_checked_in"
    assert door(event).scan("KI-nonsense").json["result"] == "invalid"
    pool = db.engine.pool
    held = [db.engine.connect() for _ in range(max(pool.checkedin(), 1))]
    try:
        for conn in held:
            driver = conn.connection.driver_connection
            assert getattr(driver, "autocommit", False) in (False, -1)
    finally:
        for conn in held:
            conn.close()
    assert len(checkins()) == 1 and len(logs()) == 3
