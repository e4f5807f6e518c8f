"""`flask demo` keeps a forum under way today, so that a new user can try the scanner at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.demo import today as demo_today
from reslog_events.demo.today import is_under_way_today, times_today

TITLE = "Inclusive Municipal Services Forum"


def forums():
    from reslog_events.events.models import Event
    from reslog_events.extensions import db

    db.session.expire_all()
    return db.session.scalars(sa.select(Event).where(Event.title == TITLE)).all()


def test_a_forum_is_under_way_today_and_scannable(runner, app, api):
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation, InvitationStatus
    from reslog_events.invitations.operations import checkin_code_of

    assert runner.invoke(args=["demo"]).exit_code == 0
    [forum] = forums()
    assert is_under_way_today(forum)
    invitations = db.session.scalars(
        sa.select(Invitation).where(Invitation.event_id == forum.id)
    ).all()
    statuses = {i.status for i in invitations}
    assert InvitationStatus.accepted in statuses and InvitationStatus.waitlisted in statuses
    guest = next(i for i in invitations if i.status == InvitationStatus.accepted)
    resp = api("staff").post(
        f"/api/v1/events/{forum.id}/checkins",
        json={"code": checkin_code_of(guest), "gate": "A", "nonce": "demo-scan-0001"},
    )
    assert resp.status_code == 201 and resp.json["result"] == "ok"
    waiting = next(i for i in invitations if i.status == InvitationStatus.waitlisted)
    resp = api("staff").post(
        f"/api/v1/events/{forum.id}/checkins",
        json={"code": checkin_code_of(waiting), "gate": "A", "nonce": "demo-scan-0002"},
    )
    assert resp.json["result"] == "not_attending" and resp.json["waitlist_position"]


def test_a_run_on_a_later_day_moves_the_forum_without_duplicating_it(runner, app, monkeypatch):
    assert runner.invoke(args=["demo"]).exit_code == 0
    [before] = forums()
    later = utcnow() + timedelta(days=3)
    monkeypatch.setattr(demo_today, "utcnow", lambda: later)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "moved to today" in result.output and "nothing added" in result.output
    [after] = forums()
    assert after.id == before.id
    assert is_under_way_today(after, later)
    # The same later day again: nothing moves.
    again = runner.invoke(args=["demo"])
    assert "moved" not in again.output


def test_times_today_cover_now_within_the_day():
    zone = "Europe/Istanbul"
    for hour, minute in ((0, 10), (8, 0), (12, 0), (19, 30), (23, 50)):
        now = datetime(2026, 12, 7, hour, minute, tzinfo=UTC) - timedelta(hours=3)  # local
        starts, ends = times_today("09:00", "18:00", zone, now)
        assert starts <= now < ends, (hour, minute)
        assert starts.date() == now.astimezone(starts.tzinfo).date()
        assert (ends - timedelta(microseconds=1)).date() == starts.date()
