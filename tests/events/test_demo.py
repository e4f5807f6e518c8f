"""`flask demo`: realistic, idempotent, and its users can log in."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from tests.support.forms import post_form

PILOTS = {
    "MBB": ["Sultanbeyli", "Zeytinburnu", "Şişli", "Bursa Büyükşehir", "Orhangazi", "Osmangazi"],
    "CBB": ["Adana Büyükşehir", "Sarıçam", "Seyhan", "Hatay Büyükşehir", "Reyhanlı", "Mezitli"],
}


def table_counts() -> dict[str, int]:
    from reslog_events.extensions import db

    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_demo_is_idempotent(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Added" in first.output and "admin@reslog.example" in first.output
    after_first = table_counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "nothing added" in second.output
    assert table_counts() == after_first
    assert after_first["outgoing_emails"] == 0  # the demo queues no email


def test_demo_is_realistic(runner, app):
    assert runner.invoke(args=["demo"]).exit_code == 0
    check_directory()
    check_events()


def check_directory():
    from reslog_events.directory.models import Contact, Organisation
    from reslog_events.extensions import db

    orgs = {o.code: o for o in db.session.scalars(sa.select(Organisation))}
    assert {"TBB", "MBB", "CBB", "SKR"} <= set(orgs)
    assert orgs["CBB"].name == "Çukurova Belediyeler Birliği"
    for union, names in PILOTS.items():
        members = {o.name for o in orgs[union].members}
        for name in names:
            org = next(o for o in orgs.values() if o.name.startswith(name))
            assert org.name in members and orgs["TBB"] in org.unions, name
    assert {o.country for o in orgs.values()} >= {"TR", "SE", "LB"}
    assert any(o.kind.value == "ngo" and "Suriyeli" in o.name for o in orgs.values())
    contacts = db.session.scalars(sa.select(Contact)).all()
    assert len(contacts) >= 40
    assert {c.role_category.value for c in contacts} == {
        "elected_official",
        "municipal_staff",
        "civil_society",
        "refugee_community",
        "academic",
        "international_partner",
        "other",
    }
    assert {c.gender.value for c in contacts} == {"female", "male", "other", "undisclosed"}
    assert {c.language.value for c in contacts} == {"tr", "en", "ar", "sv"}
    assert len({c.email for c in contacts}) == len(contacts)


def check_events():
    from reslog_events.checkin.models import CheckIn
    from reslog_events.events.models import Event, EventKind
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation

    events = {e.title: e for e in db.session.scalars(sa.select(Event))}
    now = utcnow()
    assert {e.kind for e in events.values() if e.starts_at > now} == set(EventKind)
    assert {e.kind for e in events.values() if e.ends_at < now} == set(EventKind)

    forum = events["Local Governance and Migration Meeting"]
    assert forum.kind.value == "forum" and forum.city == "İstanbul"
    assert forum.status.value == "published" and forum.starts_at > now
    workshop = events["We Evaluate Our Resilience"]
    assert workshop.city == "Ankara" and workshop.kind.value == "workshop"
    assert (workshop.local_ends_at.date() - workshop.local_starts_at.date()) == timedelta(days=1)
    visit = next(e for e in events.values() if e.kind.value == "peer_visit" and e.country == "SE")
    assert visit.timezone == "Europe/Stockholm" and visit.local_starts_at.hour == 9

    for event in events.values():
        invitations = db.session.scalars(
            sa.select(Invitation).where(Invitation.event_id == event.id)
        ).all()
        checkins = db.session.scalars(sa.select(CheckIn).where(CheckIn.event_id == event.id)).all()
        if event.ends_at < now and event.title != "Workshop: Resilience Action Plans":
            assert len({i.status for i in invitations}) >= 3, event.title  # a mix of answers
            assert checkins, event.title
            assert any(i.is_walk_in for i in invitations)
        else:
            assert not checkins, event.title
        for check_in in checkins:
            local_day = check_in.checked_in_at.astimezone(event.zone).date()
            assert check_in.day == local_day
            assert event.local_starts_at.date() <= check_in.day <= event.local_ends_at.date()
    both_days = db.session.execute(
        sa.select(CheckIn.invitation_id)
        .where(CheckIn.event_id == workshop.id)
        .group_by(CheckIn.invitation_id)
        .having(sa.func.count() == 2)
    ).all()
    assert both_days  # someone came to both days of the workshop


def test_demo_users_can_log_in(runner, client):
    from tests.support.forms import csrf_token

    assert runner.invoke(args=["demo"]).exit_code == 0
    for role in ("admin", "organiser", "staff", "coordinator"):
        resp = post_form(
            client, "/login", {"email": f"{role}@reslog.example", "password": "reslog-demo"}
        )
        assert resp.status_code == 302, role
        assert client.get("/events", follow_redirects=False).status_code == 200, role
        client.post("/logout", data={"csrf_token": csrf_token(client, "/events")})
        assert client.get("/events").status_code == 302
