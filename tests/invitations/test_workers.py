"""The clock (messages only), the scheduled reminders, and the embedded in-process worker."""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.reminders import send_scheduled_reminders
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.mail.outbox import queue_email


def _reminders():
    return db.session.scalars(
        sa.select(OutgoingEmail).where(OutgoingEmail.kind == "reminder").order_by(OutgoingEmail.id)
    ).all()


def test_clock_jobs_only_send_messages(app, stub_worker):
    from workers.clock import build_scheduler
    from workers.mail import send_scheduled_reminders as reminders_actor
    from workers.mail import sweep_outbox

    scheduler = build_scheduler(
        {**app.config, "CLOCK_SWEEP_SECONDS": 7, "CLOCK_REMINDERS_MINUTES": 20}
    )
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert jobs["sweep_outbox"].func == sweep_outbox.send
    assert jobs["sweep_outbox"].trigger.interval == timedelta(seconds=7)
    assert jobs["send_scheduled_reminders"].func == reminders_actor.send
    jobs["sweep_outbox"].func()
    jobs["send_scheduled_reminders"].func()
    assert stub_worker.broker.queues["maintenance"].qsize() == 2
    stub_worker.drain()  # the actors run without errors on an empty database


def test_the_clock_runs_every_job_in_the_configured_time_zone(app):
    from workers.clock import build_scheduler
    from workers.schedule import schedule

    config = {**app.config, "DEFAULT_TIMEZONE": "Europe/Stockholm"}
    jobs = {job.id: job for job in build_scheduler(config).get_jobs()}
    assert set(jobs) == {p.actor_name for p in schedule(config)}
    assert len(jobs) >= 5
    for name in ("send_monthly_summaries", "purge_expired_answers"):
        assert str(jobs[name].trigger.timezone) == "Europe/Stockholm"
        assert jobs[name].func.__self__.actor_name == name


def test_the_clock_process_checks_the_config(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CLOCK_SWEEP_SECONDS": "soon", "SECRET_KEY": "x", "REDIS_URL": ""}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = subprocess.run(
        [sys.executable, "-m", "workers.clock"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CLOCK_SWEEP_SECONDS='soon'" in result.stderr


def test_scheduled_reminders_once_in_the_window(app, create_event, create_invitation):
    app.config["REMINDER_DAYS_BEFORE_DEADLINE"] = 3
    soon = create_event(rsvp_deadline=utcnow() + timedelta(days=2))
    later = create_event(rsvp_deadline=utcnow() + timedelta(days=10))
    past = create_event(rsvp_deadline=utcnow() - timedelta(hours=1))
    pending = create_invitation(event=soon).invitation
    # reminded by hand long before the window opened: reminded again in it
    early = create_invitation(event=soon, reminded_at=utcnow() - timedelta(days=6)).invitation
    create_invitation(event=soon, status="accepted")
    create_invitation(event=later)
    create_invitation(event=past)
    assert send_scheduled_reminders() == 2
    assert {r.invitation_id for r in _reminders()} == {pending.id, early.id}
    assert send_scheduled_reminders() == 0  # never twice
    assert len(_reminders()) == 2
    app.config["REMINDER_DAYS_BEFORE_DEADLINE"] = 0
    assert send_scheduled_reminders() == 0


def test_embedded_worker_sends_from_the_web_process(app, create_invitation):
    from workers import embedded
    from workers.schedule import schedule

    broker = app.extensions["dramatiq"]
    broker.flush_all()
    row = queue_email("invitation", invitation=create_invitation().invitation)
    db.session.commit()
    app.config["EMBEDDED_WORKER"] = True
    try:
        assert embedded.start(app) is True
        assert embedded.start(app) is False  # once per process
        # the same jobs as the clock process (and a first sweep, which may have run already)
        scheduled = {job.id for job in embedded._state.scheduler.get_jobs()} - {"first-sweep"}
        assert scheduled == {p.actor_name for p in schedule(app.config)}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(OutgoingEmail, row.id).status == OutboxStatus.sent:
                break
            time.sleep(0.1)
        assert db.session.get(OutgoingEmail, row.id).status == OutboxStatus.sent
    finally:
        embedded._shutdown()
        broker.flush_all()
    assert embedded._state is None


def test_outbox_cli(app, runner, create_invitation, stub_worker):
    queue_email("invitation", invitation=create_invitation().invitation)
    db.session.commit()
    stub_worker.broker.flush_all()  # as if the broker had lost the message
    assert "queued   1" in runner.invoke(args=["outbox", "status"]).output
    assert "re-enqueued 0 rows" in runner.invoke(args=["outbox", "sweep"]).output
    assert "re-enqueued 1 rows" in runner.invoke(args=["outbox", "sweep", "--all"]).output
    stub_worker.drain()
    assert "sent     1" in runner.invoke(args=["outbox", "status"]).output
