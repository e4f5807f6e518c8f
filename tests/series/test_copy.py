"""Copying an event to another day: every time moves by the same wall-clock days in the event's
zone (across summer time), the agenda, sites, settings and team come along, and the invitation
list only as new, unanswered, unsent invitations."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.checkin.models import CheckIn
from reslog_events.events.models import Event, EventStatus
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation
from reslog_events.mail.models import OutgoingEmail
from reslog_events.programme.models import AgendaSession, ItinerarySite
from reslog_events.teams.models import TeamMember
from tests.events.test_api import new_event

STOCKHOLM = "Europe/Stockholm"


def _source(api, day: str = "2027-03-20", start: str = "10:00", end: str = "16:00") -> dict:
    """A Stockholm roundtable on Saturday 20 March 2027 (CET, +01:00), with one session and
    one site; the clocks go forward on 28 March 2027."""
    values = dict(
        title="Rundabordssamtal om mottagande",
        kind="roundtable",
        timezone=STOCKHOLM,
        starts_at=f"{day}T{start}",
        ends_at=f"{day}T{end}",
        rsvp_deadline="2027-03-15T12:00",
        city="Stockholm",
        country="SE",
        languages=["sv", "ar", "tr"],
        venue_notes="Ingång från trädgården, plan 2",
        translations={
            "ar": {
                "title": "طاولة مستديرة",
                "description": "عن الاستقبال",
                "venue_notes": "المدخل من الحديقة",
            }
        },
        reminder_hours=48,
        certificates="emailed",
        substitutes_need_approval=True,
        capacity=40,
    )
    body = new_event(**values)
    created = api("organiser").post("/api/v1/events", json=body)
    assert created.status_code == 201, created.json
    event = created.json
    session = api("organiser").post(
        f"/api/v1/events/{event['id']}/sessions",
        json={
            "title": "Öppning",
            "starts_at": f"{day}T{start}",
            "ends_at": f"{day}T{end}",
            "room_or_site": "Sal A",
            "translations": {"ar": {"title": "الافتتاح"}},
        },
    )
    assert session.status_code == 201, session.json
    site = api("organiser").post(
        f"/api/v1/events/{event['id']}/sites",
        json={"day": day, "host_name": "Rinkeby bibliotek"},
    )
    assert site.status_code == 201, site.json
    return event


def _copy(api, event_id: int, role: str = "organiser", **body):
    return api(role).post(f"/api/v1/events/{event_id}/copy", json=body)


def test_a_copy_after_the_spring_change_keeps_the_local_hours(api, create_user):
    source = _source(api)
    colleague = create_user("organiser", email="kollega@example.org")
    team = api("organiser").post(
        f"/api/v1/events/{source['id']}/team", json={"user_id": colleague.id}
    )
    assert team.status_code == 201, team.json

    resp = _copy(api, source["id"], starts_on="2027-04-03")
    assert resp.status_code == 201, resp.json
    copy = resp.json
    # 10:00 on the wall clock both times: +01:00 before the change, +02:00 after it
    assert copy["starts_at"] == "2027-04-03T10:00:00+02:00"
    assert copy["ends_at"] == "2027-04-03T16:00:00+02:00"
    assert copy["rsvp_deadline"] == "2027-03-29T12:00:00+02:00"
    assert copy["status"] == "draft" and copy["id"] != source["id"]
    for field in (
        "title",
        "kind",
        "level",
        "timezone",
        "venue",
        "venue_notes",
        "address",
        "city",
        "country",
        "capacity",
        "reminder_hours",
        "certificates",
        "languages",
        "translations",
        "substitutes_need_approval",
        "host_organisation_id",
        "description",
    ):
        assert copy[field] == source[field], field

    sessions = db.session.scalars(
        sa.select(AgendaSession).where(AgendaSession.event_id == copy["id"])
    ).all()
    assert [(s.title, s.room_or_site) for s in sessions] == [("Öppning", "Sal A")]
    assert sessions[0].translations == {"ar": {"title": "الافتتاح"}}
    assert sessions[0].local_starts_at.isoformat() == "2027-04-03T10:00:00+02:00"
    assert sessions[0].uid != db.session.scalar(
        sa.select(AgendaSession.uid).where(AgendaSession.event_id == source["id"])
    )
    sites = db.session.scalars(
        sa.select(ItinerarySite).where(ItinerarySite.event_id == copy["id"])
    ).all()
    assert [(s.day, s.host_name) for s in sites] == [(date(2027, 4, 3), "Rinkeby bibliotek")]
    assert db.session.scalars(
        sa.select(TeamMember.user_id).where(TeamMember.event_id == copy["id"])
    ).all() == [colleague.id]
    audit = db.session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "event.copy", AuditLog.object_id == copy["id"])
    )
    assert audit.data["from_event_id"] == source["id"]
    assert audit.data["sessions"] == 1 and audit.data["sites"] == 1 and audit.data["team"] == 1
    assert audit.data["invitations"] == 0
    # the original is untouched
    assert api("organiser").get(f"/api/v1/events/{source['id']}").json["starts_at"] == (
        "2027-03-20T10:00:00+01:00"
    )


def test_back_across_the_autumn_change_too(api):
    source = _source(api, "2027-10-23", "18:00", "20:00")
    copy = _copy(api, source["id"], starts_on="2027-11-06").json
    assert copy["starts_at"] == "2027-11-06T18:00:00+01:00"


def test_the_invitation_list_comes_without_answers(
    api, create_contact, create_invitation, create_event
):
    from reslog_events.core.columns import utcnow

    source = db.session.get(Event, _source(api)["id"])
    source.status = EventStatus.published
    came = create_invitation(
        event=source,
        contact=create_contact(full_name="Ayşe Sarıçam", language="tr"),
        status="accepted",
        dietary_needs="vegetarisk",
        responded_at=utcnow(),
        consent_data_at=utcnow(),
    )
    declined = create_invitation(event=source, status="declined", responded_at=utcnow())
    pending = create_invitation(event=source)
    revoked = create_invitation(event=source, status="revoked")
    walk_in = create_invitation(event=source, status="accepted", walk_in=True)
    erased_contact = create_contact(full_name="Silinmiş Kişi")
    create_invitation(event=source, contact=erased_contact, status="accepted")
    erased_contact.erased_at = utcnow()
    db.session.add(
        CheckIn(event_id=source.id, invitation_id=came.invitation.id, day=date(2027, 3, 20))
    )
    db.session.commit()
    outbox_before = db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail))

    resp = _copy(api, source.id, starts_on="2027-04-17", with_invitations=True)
    assert resp.status_code == 201, resp.json
    copied = db.session.scalars(
        sa.select(Invitation).where(Invitation.event_id == resp.json["id"]).order_by(Invitation.id)
    ).all()
    assert [i.contact_id for i in copied] == [
        came.invitation.contact_id,
        declined.invitation.contact_id,
        pending.invitation.contact_id,
    ]
    originals = {i.invitation.contact_id: i.invitation for i in (came, declined, pending)}
    for invitation in copied:
        original = originals[invitation.contact_id]
        assert invitation.status.value == "pending"
        assert invitation.responded_at is None and invitation.dietary_needs is None
        assert invitation.consent_data_at is None and invitation.reminded_at is None
        assert invitation.token_hash != original.token_hash
        assert invitation.checkin_code_hash != original.checkin_code_hash
        assert invitation.uid != original.uid
    assert revoked.invitation.contact_id not in {i.contact_id for i in copied}
    assert walk_in.invitation.contact_id not in {i.contact_id for i in copied}
    # nothing sent (the copy is a draft), nobody checked in
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)) == (
        outbox_before
    )
    assert not db.session.scalar(
        sa.select(sa.func.count()).select_from(CheckIn).where(CheckIn.event_id == resp.json["id"])
    )
    # without the list: no invitations at all
    bare = _copy(api, source.id, starts_on="2027-05-01")
    assert bare.status_code == 201
    assert not db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Invitation)
        .where(Invitation.event_id == bare.json["id"])
    )


def test_bad_days_are_refused_naming_the_field_in_the_callers_language(api):
    source = _source(api, "2027-03-20", "02:30", "05:00")
    past = api("organiser").post(
        f"/api/v1/events/{source['id']}/copy?lang=tr", json={"starts_on": "2020-01-01"}
    )
    assert past.status_code == 422
    assert past.json["error"]["fields"]["starts_on"] == "Bugün ya da daha sonraki bir gün seçin."
    # 02:30 does not exist on 28 March 2027 in Stockholm
    gap = api("organiser").post(
        f"/api/v1/events/{source['id']}/copy?lang=en", json={"starts_on": "2027-03-28"}
    )
    assert gap.status_code == 422
    assert "does not exist" in gap.json["error"]["fields"]["starts_on"]
    for body in ({}, {"starts_on": "28.03.2027"}, {"starts_on": "2027-02-30"}, {"x": 1}):
        resp = _copy(api, source["id"], **body)
        assert resp.status_code == 422, (body, resp.json)
    assert _copy(api, 999999, starts_on="2027-04-03").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_only_events_the_caller_sees_are_copied_and_the_copy_keeps_the_host(world):
    cbb = world.events["ÇBB"]
    day = {"starts_on": "2027-06-08"}
    other = world.api("MBB", "organiser").post(f"/api/v1/events/{cbb.id}/copy", json=day)
    assert other.status_code == 404
    own = world.api("ÇBB", "organiser").post(f"/api/v1/events/{cbb.id}/copy", json=day)
    assert own.status_code == 201, own.json
    assert own.json["host_organisation_id"] == cbb.host_organisation_id
    assert own.json["organiser_id"] == world.user("ÇBB", "organiser").id
    # the copy is the union's: its organisers see it, the other union's do not
    path = f"/api/v1/events/{own.json['id']}"
    assert world.api("ÇBB", "organiser").get(path).status_code == 200
    assert world.api("MBB", "organiser").get(path).status_code == 404
    # on the team of the other union's event: they may copy it, and stay on the copy's team
    world.put_on_team("ÇBB", world.user("MBB", "organiser"))
    team_copy = world.api("MBB", "organiser").post(f"/api/v1/events/{cbb.id}/copy", json=day)
    assert team_copy.status_code == 201, team_copy.json
    assert (
        world.api("MBB", "organiser").get(f"/api/v1/events/{team_copy.json['id']}").status_code
        == 200
    )
    # door staff and coordinators do not copy
    for role in ("staff", "coordinator"):
        assert (
            world.api("ÇBB", role).post(f"/api/v1/events/{cbb.id}/copy", json=day).status_code
            == 403
        )
