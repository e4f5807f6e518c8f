"""Unions and teams on the pages: every event page across unions, the lists, the calendar and
feed, the door's page of today's events, and the team section of the event page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.teams.models import TeamMember
from tests.support.forms import csrf_token

EVENT_KEYS = ("event_id", "invitation_id", "checkin_id", "session_id", "site_id", "member_id")
#: pages anyone may open (the public programme)
PUBLIC_RULES = {"/programme/<int:event_id>"}


def _event_rules(app) -> list[tuple[str, str]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/api/", "/static/")) or rule.rule in PUBLIC_RULES:
            continue
        if not any(f"<int:{key}>" in rule.rule for key in EVENT_KEYS):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        rules.append((method, rule.rule))
    return sorted(rules)


def _path(rule: str, rows: dict[str, int], user_id: int) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(rows.get(m.group(1), user_id)), rule)


def _open(client, method: str, path: str, token: str):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": token})


def test_every_event_page_answers_404_across_unions(app, client, auth, world):
    rules = _event_rules(app)
    assert len(rules) >= 36  # every page of the event hub, answers, door, programme, teams
    for role in ("organiser", "staff", "coordinator"):
        user = world.user("MBB", role)
        auth.login(user=user)
        token = csrf_token(client, "/calendar")
        for method, rule in rules:
            resp = _open(client, method, _path(rule, world.rows["ÇBB"], user.id), token)
            assert resp.status_code in (403, 404), (role, rule, resp.status_code)
            if role == "organiser":  # organisers may open every event page: 404, not 403
                assert resp.status_code == 404, (rule, resp.status_code)
        # their own union's event pages stay open to them
        for method, rule in rules:
            if method == "GET":
                resp = _open(client, method, _path(rule, world.rows["MBB"], user.id), token)
                # 303: an allowed page that sends the user back with a message (nothing to download)
                assert resp.status_code in (200, 303, 403), (role, rule, resp.status_code)
        auth.logout()


def test_event_list_calendar_and_feed_keep_to_the_union(client, auth, world):
    from reslog_events.programme.calendar import user_events

    mbb, cbb = world.events["MBB"], world.events["ÇBB"]
    organiser = world.user("MBB", "organiser")
    for event in (mbb, cbb):
        event.organiser_id = organiser.id  # both in "mine": the union still decides
    db.session.commit()
    auth.login(user=organiser)
    page = client.get("/events").get_data(as_text=True)
    assert "Şişli Göç Forumu" in page and "Sarıçam Çalıştayı" not in page
    assert "Sarıçam" not in client.get("/events?q=sar%C4%B1%C3%A7am").get_data(as_text=True)
    calendar = client.get("/calendar").get_data(as_text=True)
    assert "Şişli Göç Forumu" in calendar and "Sarıçam Çalıştayı" not in calendar
    assert [e.id for e in user_events(organiser)] == [mbb.id]
    world.put_on_team("ÇBB", organiser)
    assert {e.id for e in user_events(organiser)} == {mbb.id, cbb.id}
    assert "Sarıçam Çalıştayı" in client.get("/events").get_data(as_text=True)


def test_the_door_sees_today_s_events_it_may_scan_at(client, auth, world, create_event):
    now = utcnow().replace(microsecond=0)
    create_event(
        title="Yarınki Eğitim",
        host_organisation_id=world.members["MBB"].id,
        starts_at=now + timedelta(days=2),
    )
    create_event(
        title="Taslak Toplantı",
        status="draft",
        host_organisation_id=world.unions["MBB"].id,
        starts_at=now - timedelta(hours=1),
    )
    door = world.user("MBB", "staff")
    auth.login(user=door)
    page = client.get("/events").get_data(as_text=True)
    assert "Today at the door" in page
    assert "Şişli Göç Forumu" in page
    assert f'href="/events/{world.events["MBB"].id}/checkin"' in page
    for absent in ("Sarıçam Çalıştayı", "Yarınki Eğitim", "Taslak Toplantı"):
        assert absent not in page
    world.put_on_team("ÇBB", door)
    assert "Sarıçam Çalıştayı" in client.get("/events").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_team_section_adds_and_removes(client, auth, world, lang):
    event = world.events["MBB"]
    cbb_door = world.user("ÇBB", "staff")
    auth.login(user=world.user("MBB", "organiser"))
    page = client.get(f"/events/{event.id}?lang={lang}").get_data(as_text=True)
    assert 'id="team-heading"' in page
    assert f'<option value="{cbb_door.id}">' in page
    # coordinators and administrators are not offered
    assert f'<option value="{world.user("ÇBB", "coordinator").id}">' not in page
    token = csrf_token(client, f"/events/{event.id}")
    added = client.post(
        f"/events/{event.id}/team", data={"csrf_token": token, "user_id": str(cbb_door.id)}
    )
    assert added.status_code == 302 and added.headers["Location"].endswith("#team-heading")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert cbb_door.name in page and "ÇBB" in page
    assert f'<option value="{cbb_door.id}">' not in page
    assert db.session.get(TeamMember, (event.id, cbb_door.id)) is not None
    # nonsense ids: a message, never a 500
    for bad in ("", "²", "99999999999999999999", str(world.user("ÇBB", "coordinator").id)):
        resp = client.post(f"/events/{event.id}/team", data={"csrf_token": token, "user_id": bad})
        assert resp.status_code == 302
    removed = client.post(
        f"/events/{event.id}/team/{cbb_door.id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 302
    assert db.session.get(TeamMember, (event.id, cbb_door.id)) is None
    actions = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.action.like("event.team_%")).order_by(AuditLog.id)
    ).all()
    assert actions == ["event.team_add", "event.team_remove"]


def test_staff_and_coordinators_do_not_see_the_team_section(client, auth, world):
    event = world.events["MBB"]
    auth.login(user=world.user("MBB", "coordinator"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'id="team-heading"' not in page


def test_new_event_form_offers_the_union_s_hosts(client, auth, world):
    auth.login(user=world.user("ÇBB", "organiser"))
    page = client.get("/events/new").get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"( selected)?>', page)
    hosts = {int(value) for value, _ in options if int(value) in _org_ids(world)}
    assert hosts == {world.unions["ÇBB"].id, world.members["ÇBB"].id}
    assert (str(world.unions["ÇBB"].id), " selected") in options


def _org_ids(world) -> set[int]:
    return {o.id for o in (*world.unions.values(), *world.members.values())}


def test_report_drill_down_lists_the_union_s_events_only(client, auth, world, create_contact):
    from reslog_events.invitations.operations import build_invitation

    sisli = world.members["MBB"]
    guest = create_contact(full_name="Zeynep Çınar", organisation=sisli)
    build_invitation(world.events["ÇBB"], guest)
    db.session.commit()
    auth.login(user=world.user("MBB", "organiser"))
    page = client.get(f"/reports/organisations/{sisli.id}").get_data(as_text=True)
    assert "Şişli Göç Forumu" in page
    assert "Sarıçam Çalıştayı" not in page and "Zeynep Çınar" not in page
    auth.logout()
    auth.login(user=world.user(None, "organiser"))
    page = client.get(f"/reports/organisations/{sisli.id}").get_data(as_text=True)
    assert "Sarıçam Çalıştayı" in page and "Zeynep Çınar" in page
