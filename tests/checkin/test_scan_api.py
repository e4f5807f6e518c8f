"""POST /api/v1/events/<id>/checkins: every answer of the contract, replays, bad bodies.
(The days a scan counts for: test_scan_days.py; who may scan: test_scan_access.py.)"""

from __future__ import annotations

from datetime import datetime

import pytest

from reslog_events.extensions import db
from reslog_events.invitations.models import InvitationStatus
from reslog_events.invitations.operations import rotate_checkin_code
from tests.checkin.door_records import checkins, logs


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


# -- the invitation's state, the connection ---------------------------------------------------


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


def test_the_nonce_errors_name_their_field(door, event, invitee):
    one, two = invitee(event), invitee(event)
    door(event).scan(one.checkin_code, nonce="scan-0005-abcdef")
    reused = door(event).client.post(
        f"/api/v1/events/{event.id}/checkins?lang=tr",
        json={"code": two.checkin_code, "gate": "A", "nonce": "scan-0005-abcdef"},
    )
    assert reused.status_code == 422
    assert reused.json["error"]["fields"]["nonce"].startswith("Tarama kimliği (nonce): ")
    malformed = door(event).client.post(
        f"/api/v1/events/{event.id}/checkins?lang=tr",
        json={"code": two.checkin_code, "gate": "A", "nonce": "short"},
    )
    assert malformed.json["error"]["fields"]["nonce"] == (
        "Tarama kimliği (nonce): 8 ile 100 arası harf, rakam ya da - _ . : (bir UUID uygundur)."
    )
