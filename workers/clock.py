"""The one scheduler process (`clock:` in the Procfile): it only sends messages; the workers do
the work. Running two clocks is harmless (the sweep's re-enqueues and the reminders' claims are
idempotent), merely wasteful.

    python -m workers.clock

Intervals: CLOCK_SWEEP_SECONDS (default 30), CLOCK_REMINDERS_MINUTES (default 15).
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler


def build_scheduler(env: dict[str, str] | None = None) -> BlockingScheduler:
    from reslog_events.config import environment

    from .mail import send_certificates, send_scheduled_reminders, sweep_outbox
    from .privacy import purge_expired_answers
    from .reports import resend_stale_report_runs, send_monthly_summaries

    env = environment() if env is None else env
    scheduler = BlockingScheduler(timezone="UTC")
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 60}
    scheduler.add_job(
        sweep_outbox.send,
        "interval",
        seconds=int(env.get("CLOCK_SWEEP_SECONDS", "30")),
        id="sweep-outbox",
        **common,
    )
    scheduler.add_job(
        send_scheduled_reminders.send,
        "interval",
        minutes=int(env.get("CLOCK_REMINDERS_MINUTES", "15")),
        id="scheduled-reminders",
        **common,
    )
    scheduler.add_job(send_certificates.send, "interval", minutes=15, id="certificates", **common)
    # last month's attendance summary to the coordinators; the actor sends it once per
    # coordinator and month, so the next two days' runs only catch up after an outage
    scheduler.add_job(
        send_monthly_summaries.send,
        "cron",
        day="1-3",
        hour=6,
        timezone="Europe/Istanbul",
        id="monthly-summaries",
        **common,
    )
    scheduler.add_job(
        resend_stale_report_runs.send, "interval", minutes=10, id="stale-report-runs", **common
    )
    # retention: personal answers of events that ended RETENTION_MONTHS ago (idempotent)
    scheduler.add_job(
        purge_expired_answers.send,
        "cron",
        hour=3,
        minute=30,
        timezone="Europe/Istanbul",
        id="retention-purge",
        **common,
    )
    return scheduler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s clock %(levelname)s %(message)s")
    import workers  # noqa: F401 - the broker first, then the actors

    build_scheduler().start()


if __name__ == "__main__":
    main()
