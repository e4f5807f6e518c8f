"""The rest of the door: manual check-in, walk-ins, undo, search, counters, the offline list."""

from __future__ import annotations

import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.checkin.models import CheckIn, ScanLog
from reslog_events.core.tokens import digest
from reslog_events.directory.models import Contact
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation, InvitationStatus
from reslog_events.invitations.operations import rotate_checkin_code


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)))


# -- manual check-in ----------------------------------------------------------------------------


def test_manual_check_in_by_invitation(door, create_event, invitee):
    event = create_event()
    guest = invitee(event, name="Mehmet Öztürk")
    resp = door(event).manual(guest.invitation.id, gate="Main", nonce="manual-000001")
    assert resp.status_code == 201
    assert resp.json["result"] == "ok" and resp.json["method"] == "manual"
    again = door(event).manual(guest.invitation.id, gate="Main")
    assert again.status_code == 409 and again.json["result"] == "already_checked_in"
    replay = door(event).manual(guest.invitation.id, gate="Main", nonce="manual-000001")
    assert replay.json == resp.json
    [row] = db.session.scalars(sa.select(CheckIn)).all()
    assert row.method == "manual"
    log = db.session.scalar(sa.select(ScanLog).order_by(ScanLog.id))
    assert log.scanned == f"#{guest.invitation.id}"


def test_manual_check_in_of_another_events_invitation_is_404(door, create_event, invitee):
    event, other = create_event(), create_event()
    guest = invitee(other)
    resp = door(event).manual(guest.invitation.id)
    assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found"
    assert count(CheckIn) == 0


def test_manual_check_in_refuses_revoked_and_cancelled(door, create_event, invitee):
    event = create_event()
    assert door(event).manual(invitee(event, status="revoked").invitation.id).json["result"] == (
        "revoked"
    )
    cancelled = create_event(status="cancelled")
    resp = door(cancelled).manual(invitee(cancelled).invitation.id)
    assert resp.status_code == 409 and resp.json["result"] == "event_cancelled"


# -- walk-ins -----------------------------------------------------------------------------------


def test_walk_in_creates_contact_invitation_and_checkin(door, create_event, create_organisation):
    event = create_event()
    create_organisation(name="Şanlıurfa Büyükşehir Belediyesi")
    resp = door(event).walk_in(
        gate="B",
        full_name="Zeynep Kaya",
        email="Zeynep.Kaya@Example.org",
        organisation="sanliurfa buyuksehir belediyesi",
        position="Sosyal hizmetler",
        nonce="walkin-000001",
    )
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["result"] == "ok" and body["method"] == "walk_in"
    assert body["full_name"] == "Zeynep Kaya"
    assert body["organisation"] == "Şanlıurfa Büyükşehir Belediyesi"
    assert body["is_walk_in"] is True and body["contact_created"] is True
    contact = db.session.get(Contact, body["contact_id"])
    assert contact.email == "zeynep.kaya@example.org"
    invitation = db.session.get(Invitation, body["invitation_id"])
    assert invitation.is_walk_in and invitation.status == InvitationStatus.pending
    assert invitation.organisation_id == contact.organisation_id
    assert db.session.scalar(sa.select(CheckIn.method)) == "walk_in"
    assert audit_actions()[-2:] == ["contact.create", "invitation.walk_in"]
    # sent again (a retry): the same answer, nobody created twice
    replay = door(event).walk_in(
        gate="B", full_name="Zeynep Kaya", email="zeynep.kaya@example.org", nonce="walkin-000001"
    )
    assert replay.json == body
    assert count(Contact) == 1 and count(Invitation) == 1 and count(CheckIn) == 1


def test_walk_in_of_an_existing_contact(door, create_event, create_contact):
    event = create_event()
    contact = create_contact(full_name="Ali Demir")
    body = door(event).walk_in(contact_id=contact.id).json
    assert body["result"] == "ok" and body["contact_id"] == contact.id
    assert body["contact_created"] is False and body["is_walk_in"] is True
    assert count(Contact) == 1


def test_walk_in_with_a_known_email_reuses_the_contact(
    door, create_event, create_contact, create_organisation
):
    event = create_event()
    contact = create_contact(
        email="ali@example.org", full_name="Ali Demir", organisation=create_organisation()
    )
    body = door(event).walk_in(full_name="Ali D.", email="ALI@example.org").json
    # Linked to the contact with that address, but the staff member sees only what they typed.
    [invitation] = db.session.scalars(sa.select(Invitation)).all()
    assert invitation.contact_id == contact.id and invitation.is_walk_in
    assert body["result"] == "ok" and body["full_name"] == "Ali D."
    assert body["organisation"] is None and "contact_id" not in body
    assert "Ali Demir" not in str(body) and "ali@" not in str(body).lower()


def test_walk_in_who_was_invited_after_all_is_an_ordinary_check_in(door, create_event, invitee):
    event = create_event()
    guest = invitee(event)
    body = door(event).walk_in(contact_id=guest.invitation.contact_id).json
    assert body["result"] == "ok" and body["method"] == "manual"
    assert body["invitation_id"] == guest.invitation.id and body["is_walk_in"] is False
    assert count(Invitation) == 1


def test_walk_in_validation(door, create_event):
    event = create_event()
    staff = door(event)
    missing = staff.walk_in(email="x@example.org")
    assert missing.status_code == 422
    unknown_org = staff.walk_in(full_name="Deniz Ak", organisation="Nowhere Municipality")
    assert unknown_org.status_code == 422
    assert "organisation" in unknown_org.json["error"]["fields"]
    bad_email = staff.walk_in(full_name="Deniz Ak", email="not-an-address")
    assert bad_email.status_code == 422 and "email" in bad_email.json["error"]["fields"]
    assert staff.walk_in(contact_id=999999).status_code == 404
    assert count(Contact) == 0 and count(Invitation) == 0


def test_walk_in_at_a_cancelled_event(door, create_event):
    event = create_event(status="cancelled")
    resp = door(event).walk_in(full_name="Deniz Ak")
    assert resp.status_code == 409 and resp.json["result"] == "event_cancelled"
    assert count(Contact) == 0


# -- undo ---------------------------------------------------------------------------------------


def test_undo_removes_the_checkin_is_audited_and_logged(door, create_event, invitee):
    event = create_event()
    guest = invitee(event)
    staff = door(event)
    checkin_id = staff.scan(guest.checkin_code, gate="A").json["checkin_id"]
    resp = staff.undo(checkin_id)
    assert resp.status_code == 200
    assert resp.json == {
        "undone": True,
        "checkin_id": checkin_id,
        "invitation_id": guest.invitation.id,
        "full_name": guest.invitation.contact.full_name,
        "walk_in_revoked": False,
    }
    assert count(CheckIn) == 0
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "checkin.undo"))
    assert entry.object_id == guest.invitation.id and entry.data["gate"] == "A"
    assert entry.user_id is not None
    assert db.session.scalar(sa.select(ScanLog.result).order_by(ScanLog.id.desc())) == "undone"
    # the person can be checked in again, and the same check-in cannot be undone twice
    assert staff.scan(guest.checkin_code).status_code == 201
    assert staff.undo(checkin_id).status_code == 404


def test_undo_of_a_walk_in_revokes_its_invitation(door, create_event):
    event = create_event()
    body = door(event).walk_in(full_name="Yanlış Kişi").json
    resp = door(event).undo(body["checkin_id"])
    assert resp.json["walk_in_revoked"] is True
    invitation = db.session.get(Invitation, body["invitation_id"])
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.revoked


def test_undo_of_another_events_checkin_is_404(door, create_event, invitee):
    event, other = create_event(), create_event()
    checkin_id = door(other).scan(invitee(other).checkin_code).json["checkin_id"]
    assert door(event).undo(checkin_id).status_code == 404
    assert count(CheckIn) == 1


# -- search ---------------------------------------------------------------------------------------


def test_search_is_turkish_aware_and_shows_state(
    door, create_event, invitee, create_contact, create_organisation
):
    event = create_event()
    ayse = invitee(
        event, name="Ayşe Yılmaz", organisation="Şişli Belediyesi", email="ayse@sisli.bel.tr"
    )
    invitee(event, name="İbrahim Çelik", organisation="Kadıköy Belediyesi")
    outsider = create_contact(
        full_name="Ayşegül Işık", organisation=create_organisation(name="Mardin")
    )
    staff = door(event)
    staff.scan(ayse.checkin_code, gate="A")

    by_org = staff.get("/checkins/search", query_string={"q": "SISLI"}).json
    assert [i["full_name"] for i in by_org["items"]] == ["Ayşe Yılmaz"]
    item = by_org["items"][0]
    assert item["invitation_id"] == ayse.invitation.id
    assert item["checkin_id"] is not None and item["gate"] == "A"
    assert item["email_hint"] == "ay***@sisli.bel.tr"

    assert [i["full_name"] for i in staff.get("/checkins/search?q=ibrahim").json["items"]] == [
        "İbrahim Çelik"
    ]
    # never by e-mail text, never other contacts of the directory
    assert staff.get("/checkins/search?q=ayse%40sisli").json["total"] == 0
    assert staff.get("/checkins/search?q=bel.tr").json["total"] == 0
    both = staff.get("/checkins/search", query_string={"q": "ayse"}).json["items"]
    assert [i["full_name"] for i in both] == ["Ayşe Yılmaz"]
    assert staff.get("/checkins/search", query_string={"q": "mardin"}).json["total"] == 0
    assert outsider.id not in {i["contact_id"] for i in both}
    # every word must match (name or organisation)
    assert staff.get("/checkins/search", query_string={"q": "ayse sisli"}).json["total"] == 1
    assert staff.get("/checkins/search", query_string={"q": "ayse mardin"}).json["total"] == 0
    assert staff.get("/checkins/search", query_string={"q": "%"}).json["total"] == 0
    assert staff.get("/checkins/search").status_code == 422


# -- counters, the offline list, the log ----------------------------------------------------------


def test_stats_count_today_expected_and_walk_ins(door, create_event, invitee):
    event = create_event()
    accepted = [invitee(event) for _ in range(3)]
    invitee(event, status="pending")
    invitee(event, status="revoked")
    staff = door(event)
    staff.scan(accepted[0].checkin_code, gate="A")
    staff.scan(accepted[1].checkin_code, gate="B")
    staff.walk_in(full_name="Kapıdan Gelen", gate="B")
    stats = staff.get("/checkins/stats").json
    assert stats["checked_in"] == 3
    assert stats["expected"] == 3
    assert stats["invited"] == 4
    assert stats["walk_ins"] == 1
    assert stats["by_gate"] == {"A": 1, "B": 2}


def test_expected_list_has_hashes_never_codes(door, create_event, invitee):
    event = create_event()
    one, two = invitee(event, name="Birinci"), invitee(event, name="İkinci", status="revoked")
    old_code = one.checkin_code
    new_code = rotate_checkin_code(one.invitation)
    db.session.commit()
    staff = door(event)
    staff.scan(new_code, gate="C")
    resp = staff.get("/checkins/expected")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    text = resp.get_data(as_text=True)
    for code in (old_code, new_code, two.checkin_code):
        assert code not in text
    data = resp.json
    by_name = {i["full_name"]: i for i in data["items"]}
    assert by_name["Birinci"]["code_hash"] == digest(new_code)
    assert by_name["Birinci"]["gate"] == "C" and by_name["Birinci"]["checked_in_at"]
    assert by_name["İkinci"]["status"] == "revoked" and by_name["İkinci"]["checked_in_at"] is None
    assert data["retired_code_hashes"] == [digest(old_code)]
    assert data["timezone"] == event.timezone and data["total"] == 2


def test_checkins_list_and_scan_log_api(door, create_event, invitee):
    event = create_event()
    guest = invitee(event)
    staff = door(event)
    staff.scan(guest.checkin_code, gate="A")
    staff.scan(guest.checkin_code, gate="B")
    staff.scan("=cmd|' /C calc'!A0", gate="B")
    checkins = staff.get("/checkins").json
    assert checkins["total"] == 1 and checkins["items"][0]["gate"] == "A"
    log = door(event, "organiser").get("/scans").json
    assert log["total"] == 3
    assert [i["result"] for i in log["items"]] == ["invalid", "already_checked_in", "ok"]
    assert log["items"][2]["full_name"] == guest.invitation.contact.full_name
    assert log["items"][2]["user_name"]
    only_b = staff.get("/scans?gate=B&result=invalid").json
    assert only_b["total"] == 1


def test_checkin_endpoints_refuse_coordinators(door, create_event):
    event = create_event()
    coordinator = door(event, "coordinator")
    for path in ("/checkins", "/checkins/stats", "/checkins/expected", "/scans"):
        assert coordinator.get(path).status_code == 403, path
    assert coordinator.get("/checkins/search?q=a").status_code == 403
