"""Retention: personal answers of events that ended RETENTION_MONTHS ago are cleared; the
counts stay; running it again changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from reslog_events.privacy.retention import months_before


def _answers(invitation_id: int) -> dict:
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation

    db.session.expire_all()
    inv = db.session.get(Invitation, invitation_id)
    return {
        "dietary_needs": inv.dietary_needs,
        "accessibility_needs": inv.accessibility_needs,
        "interpretation_language": inv.interpretation_language,
        "diet_choices": inv.diet_choices,
        "access_choices": inv.access_choices,
        "consent_data_at": inv.consent_data_at,
        "consent_photos": inv.consent_photos,
        "status": inv.status.value,
    }


CLEARED = {
    "dietary_needs": None,
    "accessibility_needs": None,
    "interpretation_language": None,
    "diet_choices": [],
    "access_choices": [],
    "consent_data_at": None,
    "consent_photos": None,
}


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2025, 9, 15, 3, 30, tzinfo=UTC), 6, datetime(2025, 3, 15, 3, 30, tzinfo=UTC)),
        (datetime(2025, 8, 31, tzinfo=UTC), 6, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2024, 8, 31, tzinfo=UTC), 6, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2025, 1, 10, tzinfo=UTC), 1, datetime(2024, 12, 10, tzinfo=UTC)),
        (datetime(2025, 1, 10, tzinfo=UTC), 24, datetime(2023, 1, 10, tzinfo=UTC)),
        (datetime(2025, 1, 10, tzinfo=UTC), 0, datetime(2025, 1, 10, tzinfo=UTC)),
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def test_purge_clears_old_answers_only_and_is_idempotent(app, api, person):
    from reslog_events.extensions import db
    from reslog_events.privacy.retention import purge_expired_answers
    from reslog_events.programme.models import DelegationMember

    reports = {
        g: api("coordinator").get("/api/v1/reports/attendance", query_string={"group_by": g}).json
        for g in ("organisation", "gender", "role_category")
    }
    current_before = _answers(person.invitations["current"].id)
    assert current_before["dietary_needs"] == "Vegetarian"

    result = purge_expired_answers()
    db.session.commit()
    assert (result.events, result.invitations, result.delegation_members) == (1, 2, 0)
    assert result.months == 6 and not result.dry_run

    # the past event: the person's and Deniz's answers are gone, the answer itself stays
    assert _answers(person.invitations["past"].id) == {**CLEARED, "status": "accepted"}
    assert _answers(person.others["inv_deniz"].id) == {**CLEARED, "status": "accepted"}
    # the events of today and next year are untouched
    assert _answers(person.invitations["current"].id) == current_before
    member = db.session.scalars(sa.select(DelegationMember)).one()
    assert member.visa_notes is not None

    again = purge_expired_answers()
    db.session.commit()
    assert (again.events, again.invitations, again.delegation_members) == (0, 0, 0)
    for group_by, before in reports.items():
        after = api("coordinator").get(
            "/api/v1/reports/attendance", query_string={"group_by": group_by}
        )
        assert after.json == before


def test_purge_is_audited_per_event(app, person):
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db
    from reslog_events.privacy.retention import purge_expired_answers

    purge_expired_answers()
    db.session.commit()
    [entry] = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "event.purge_answers")
    ).all()
    assert (entry.object_type, entry.object_id) == ("event", person.events["past"].id)
    assert entry.actor == "system"
    assert entry.data == {"invitations": 2, "delegation_members": 0, "retention_months": 6}


def test_retention_months_is_configurable_and_delegation_notes_go_too(app, person):
    from reslog_events.extensions import db
    from reslog_events.privacy.retention import purge_expired_answers
    from reslog_events.programme.models import DelegationMember

    later = datetime.now(UTC) + timedelta(days=40)
    # a month after the current event ended, with a one-month retention: it is purged too
    app.config["RETENTION_MONTHS"] = 1
    result = purge_expired_answers(now=later)
    db.session.commit()
    assert (result.events, result.invitations, result.delegation_members) == (2, 3, 1)
    member = db.session.scalars(sa.select(DelegationMember)).one()
    assert (member.travel_details, member.visa_notes, member.accommodation_notes) == (
        None,
        None,
        None,
    )
    assert member.arrives_at is not None  # when they travel is not a note
    assert _answers(person.invitations["current"].id)["status"] == "accepted"


def test_dry_run_counts_and_changes_nothing(app, person):
    from reslog_events.privacy.retention import purge_expired_answers

    before = _answers(person.invitations["past"].id)
    result = purge_expired_answers(dry_run=True)
    assert result.dry_run and (result.events, result.invitations) == (1, 2)
    assert _answers(person.invitations["past"].id) == before


def test_cli_purge(runner, person):
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would clear the answers of 2 invitations" in dry.output
    assert "events=1 invitations=2 delegation_members=0" in dry.output
    assert _answers(person.invitations["past"].id)["diet_choices"] == ["halal"]

    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0, done.output
    assert "Cleared the answers of 2 invitations" in done.output
    assert _answers(person.invitations["past"].id)["diet_choices"] == []

    again = runner.invoke(args=["privacy", "purge"])
    assert "events=0 invitations=0 delegation_members=0" in again.output

    months = runner.invoke(args=["privacy", "purge", "--months", "-1"])
    assert months.exit_code == 2


def test_actor_purges_through_the_worker(stub_worker, person):
    from workers import purge_expired_answers

    purge_expired_answers.send()
    stub_worker.drain()
    assert _answers(person.invitations["past"].id)["dietary_needs"] is None
    assert _answers(person.invitations["current"].id)["dietary_needs"] == "Vegetarian"


def test_clock_schedules_the_purge_daily(app):
    from workers.clock import build_scheduler

    scheduler = build_scheduler(app.config)
    job = scheduler.get_job("purge_expired_answers")
    assert job is not None
    assert job.func.__self__.actor_name == "purge_expired_answers"
    assert "hour='3'" in str(job.trigger) and "minute='30'" in str(job.trigger)
