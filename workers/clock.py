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

    from .mail import send_scheduled_reminders, sweep_outbox

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
    return scheduler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s clock %(levelname)s %(message)s")
    import workers  # noqa: F401 - the broker first, then the actors

    build_scheduler().start()


if __name__ == "__main__":
    main()
