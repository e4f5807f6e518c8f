"""Event teams through the API, `users create --union`, and the host of a union's events."""

from __future__ import annotations

import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.auth.models import User
from reslog_events.extensions import db


def _team(world, union: str, role: str, event: str):
    return world.api(union, role).get(f"/api/v1/events/{world.events[event].id}/team")


def test_an_organiser_puts_someone_of_another_union_on_the_team(world):
    event = world.events["MBB"]
    door = world.user("ÇBB", "staff")
    mbb = world.api("MBB", "organiser")
    cbb_door = world.api("ÇBB", "staff")
    assert cbb_door.get(f"/api/v1/events/{event.id}").status_code == 404

    added = mbb.post(f"/api/v1/events/{event.id}/team", json={"user_id": door.id})
    assert added.status_code == 201, added.json
    assert added.json | {"added_at": None} == {
        "user_id": door.id,
        "name": door.name,
        "email": door.email,
        "role": "staff",
        "union": "ÇBB",
        "added_at": None,
    }
    again = mbb.post(f"/api/v1/events/{event.id}/team", json={"user_id": door.id})
    assert again.status_code == 201 and again.json["user_id"] == door.id
    assert _team(world, "MBB", "organiser", "MBB").json["total"] == 1

    # now the ÇBB door staff member works on this event, and still on no other MBB event
    assert cbb_door.get(f"/api/v1/events/{event.id}").status_code == 200
    assert cbb_door.get(f"/api/v1/events/{event.id}/checkins/stats").status_code == 200
    listed = {e["id"] for e in cbb_door.get("/api/v1/events").json["items"]}
    assert listed == {event.id, world.events["ÇBB"].id}

    removed = mbb.delete(f"/api/v1/events/{event.id}/team/{door.id}")
    assert removed.status_code == 204
    assert mbb.delete(f"/api/v1/events/{event.id}/team/{door.id}").status_code == 404
    assert cbb_door.get(f"/api/v1/events/{event.id}").status_code == 404

    actions = db.session.scalars(
        sa.select(AuditLog.action)
        .where(AuditLog.object_type == "event", AuditLog.object_id == event.id)
        .order_by(AuditLog.id)
    ).all()
    assert actions == ["event.team_add", "event.team_remove"]
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "event.team_add"))
    assert entry.user_id == world.user("MBB", "organiser").id
    assert entry.data == {"user_id": door.id, "role": "staff"}


def test_team_refusals(world):
    event = world.events["MBB"]
    mbb = world.api("MBB", "organiser")
    path = f"/api/v1/events/{event.id}/team"
    coordinator = world.user("ÇBB", "coordinator")
    resp = mbb.post(path, json={"user_id": coordinator.id})
    assert resp.status_code == 422 and "user_id" in resp.json["error"]["fields"]
    assert mbb.post(path, json={"user_id": 2**31 - 1}).status_code == 422
    assert mbb.post(path, json={"user_id": "x"}).status_code == 422
    inactive = world.user(None, "staff")
    inactive.active = False
    db.session.commit()
    assert mbb.post(path, json={"user_id": inactive.id}).status_code == 422
    # another union's organiser may not manage this event's team: the event is not theirs
    other = world.api("ÇBB", "organiser")
    assert other.post(path, json={"user_id": world.user("ÇBB", "staff").id}).status_code == 404
    assert world.api("MBB", "staff").get(path).status_code == 403


def test_a_co_organiser_on_the_team_edits_but_cannot_move_the_event(world):
    event = world.events["MBB"]
    cbb = world.user("ÇBB", "organiser")
    world.put_on_team("MBB", cbb)
    api = world.api("ÇBB", "organiser")
    ok = api.patch(f"/api/v1/events/{event.id}", json={"venue": "Cemal Reşit Rey"})
    assert ok.status_code == 200 and ok.json["venue"] == "Cemal Reşit Rey"
    moved = api.patch(
        f"/api/v1/events/{event.id}", json={"host_organisation_id": world.unions["ÇBB"].id}
    )
    assert moved.status_code == 422 and "host_organisation_id" in moved.json["error"]["fields"]


def test_a_union_organiser_hosts_events_within_their_union(world):
    body = {
        "title": "Sarıçam Kadın Meclisi",
        "kind": "meeting",
        "level": "local",
        "starts_at": "2030-03-08T10:00:00",
        "ends_at": "2030-03-08T13:00:00",
        "timezone": "Europe/Istanbul",
    }
    cbb = world.api("ÇBB", "organiser")
    created = cbb.post("/api/v1/events", json=body)
    assert created.status_code == 201, created.json
    assert created.json["host_organisation_id"] == world.unions["ÇBB"].id
    member = cbb.post(
        "/api/v1/events", json=body | {"host_organisation_id": world.members["ÇBB"].id}
    )
    assert member.status_code == 201
    outside = cbb.post(
        "/api/v1/events", json=body | {"host_organisation_id": world.members["MBB"].id}
    )
    assert outside.status_code == 422
    assert "host_organisation_id" in outside.json["error"]["fields"]
    # programme-wide organisers host anywhere, and their events have no host unless given
    anywhere = world.api(None, "organiser").post("/api/v1/events", json=body)
    assert anywhere.status_code == 201 and anywhere.json["host_organisation_id"] is None
    # ÇBB's new event is invisible to MBB
    mbb = world.api("MBB", "organiser")
    assert mbb.get(f"/api/v1/events/{created.json['id']}").status_code == 404


def test_lists_search_and_offline_list_keep_to_the_union(world):
    mbb_event, cbb_event = world.events["MBB"], world.events["ÇBB"]
    for role in ("organiser", "staff", "coordinator"):
        api = world.api("MBB", role)
        ids = {e["id"] for e in api.get("/api/v1/events").json["items"]}
        assert ids == {mbb_event.id}, role
        assert api.get("/api/v1/events?q=Sarıçam").json["total"] == 0
        assert api.get("/api/v1/events?q=şişli").json["total"] == 1
    everyone = world.api(None, "staff").get("/api/v1/events").json["items"]
    assert {e["id"] for e in everyone} == {mbb_event.id, cbb_event.id}
    door = world.api("MBB", "staff")
    assert door.get(f"/api/v1/events/{cbb_event.id}/checkins/expected").status_code == 404
    assert door.get(f"/api/v1/events/{mbb_event.id}/checkins/expected").status_code == 200


def test_users_create_with_a_union(runner, world):
    made = runner.invoke(
        args=["users", "create", "kapi@example.org", "--role", "staff", "--union", "ÇBB"]
    )
    assert made.exit_code == 0, made.output
    assert "union ÇBB" in made.output
    user = db.session.scalar(sa.select(User).where(User.email == "kapi@example.org"))
    assert user.union_id == world.unions["ÇBB"].id
    # the code typed without Turkish letters or in lower case finds the same union
    runner.invoke(
        args=["users", "create", "o2@example.org", "--role", "organiser", "--union", "cbb"]
    )
    second = db.session.scalar(sa.select(User).where(User.email == "o2@example.org"))
    assert second.union_id == world.unions["ÇBB"].id
    unknown = runner.invoke(
        args=["users", "create", "x@example.org", "--role", "staff", "--union", "XYZ"]
    )
    assert unknown.exit_code != 0
    assert "No union has the code 'XYZ'" in unknown.output and "MBB" in unknown.output
    assert db.session.scalar(sa.select(User).where(User.email == "x@example.org")) is None
    # a municipality is not a union
    member = world.members["MBB"]
    member.code = "SISLI"
    db.session.commit()
    not_union = runner.invoke(
        args=["users", "create", "y@example.org", "--role", "staff", "--union", "SISLI"]
    )
    assert not_union.exit_code != 0
    wide = runner.invoke(args=["users", "create", "z@example.org", "--role", "organiser"])
    assert wide.exit_code == 0
    assert db.session.scalar(sa.select(User.union_id).where(User.email == "z@example.org")) is None


def test_a_process_trusts_what_it_checked_for_a_few_seconds(world, monkeypatch):
    """As with API tokens: a change made elsewhere (another process, plain SQL) counts within
    SEEN_TRUST_SECONDS; one made through the ORM here, at once."""
    from reslog_events.events import visibility
    from reslog_events.teams.models import TeamMember

    event = world.events["MBB"]
    door = world.user("ÇBB", "staff")
    api = world.api("ÇBB", "staff")
    path = f"/api/v1/events/{event.id}/checkins/stats"
    assert api.get(path).status_code == 404  # a refusal is never remembered
    world.put_on_team("MBB", door)
    assert api.get(path).status_code == 200
    with db.engine.begin() as conn:
        conn.execute(sa.delete(TeamMember.__table__))
    assert api.get(path).status_code == 200  # trusted for a few seconds
    later = visibility.time.monotonic() + visibility.SEEN_TRUST_SECONDS + 1
    monkeypatch.setattr(visibility.time, "monotonic", lambda: later)
    assert api.get(path).status_code == 404


def _invite_to_both(world, create_contact):
    from reslog_events.invitations.operations import build_invitation

    guest = create_contact(full_name="Zeynep Çınar", organisation=world.members["MBB"])
    for event in world.events.values():
        build_invitation(event, guest)
    db.session.commit()
    return guest


def test_a_clash_with_another_union_s_event_is_told_without_its_title(world, create_contact):
    _invite_to_both(world, create_contact)
    path = f"/api/v1/events/{world.events['MBB'].id}/clashes"
    scoped = world.api("MBB", "organiser").get(path).json["items"]
    shared = [c for c in scoped if c["kind"] == "shared_municipalities"]
    assert len(shared) == 1
    assert shared[0]["other_event_id"] is None and shared[0]["other_event_title"] is None
    assert "Sarıçam" not in shared[0]["message"] and "Şişli" in shared[0]["message"]
    wide = world.api(None, "organiser").get(path).json["items"]
    (told,) = [c for c in wide if c["kind"] == "shared_municipalities"]
    assert told["other_event_id"] == world.events["ÇBB"].id


def test_a_union_organiser_s_contact_export_holds_their_events_only(world, create_contact):
    guest = _invite_to_both(world, create_contact)
    path = f"/api/v1/contacts/{guest.id}/export"
    scoped = world.api("MBB", "organiser").get(path).json
    assert [i["event"]["title"] for i in scoped["invitations"]] == ["Şişli Göç Forumu"]
    wide = world.api(None, "organiser").get(path).json
    assert len(wide["invitations"]) == 2
