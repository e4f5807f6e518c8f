"""The periodic jobs: one list for the clock process (`python -m workers.clock`) and the embedded
worker's clock thread (trials), so both run every job. Each entry only sends a message; the
workers do the work, and every actor here is idempotent, so a late or doubled run is harmless.

Intervals come from the app's config (CLOCK_SWEEP_SECONDS, CLOCK_REMINDERS_MINUTES); the daily and
monthly jobs run at local hours of DEFAULT_TIMEZONE. A new job is one line in `schedule()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dramatiq
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

#: what every job gets: never two runs at once, missed runs folded into one
JOB_DEFAULTS = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 60}


@dataclass(frozen=True)
class Periodic:
    actor_name: str  #: the actor sent a message (no arguments); also the scheduler's job id
    trigger: BaseTrigger


def schedule(config: Mapping[str, Any]) -> list[Periodic]:
    """Every periodic job, with its trigger from `config` (an app's)."""
    zone = config["DEFAULT_TIMEZONE"]
    reminders_every = config["CLOCK_REMINDERS_MINUTES"]
    return [
        Periodic("sweep_outbox", IntervalTrigger(seconds=config["CLOCK_SWEEP_SECONDS"])),
        Periodic("send_scheduled_reminders", IntervalTrigger(minutes=reminders_every)),
        # certificates of events that email them when they end, once per participant
        Periodic("send_certificates", IntervalTrigger(minutes=reminders_every)),
        # feedback surveys of events that ended, once per participant
        Periodic("send_feedback_surveys", IntervalTrigger(minutes=reminders_every)),
        # last month's summary, once per coordinator and month; days 2-3 catch up after an outage
        Periodic("send_monthly_summaries", CronTrigger(day="1-3", hour=6, timezone=zone)),
        Periodic("resend_stale_report_runs", IntervalTrigger(minutes=10)),
        # personal answers of events that ended RETENTION_MONTHS ago
        Periodic("purge_expired_answers", CronTrigger(hour=3, minute=30, timezone=zone)),
        # contact lists uploaded for import and never confirmed, a day after their upload
        Periodic("delete_stale_imports", IntervalTrigger(hours=1)),
    ]


def add_jobs(scheduler: BaseScheduler, broker: dramatiq.Broker, config: Mapping[str, Any]) -> None:
    """Put every job of the schedule on `scheduler`, sending to the actors declared on `broker`."""
    for job in schedule(config):
        actor = broker.get_actor(job.actor_name)
        scheduler.add_job(actor.send, job.trigger, id=job.actor_name, **JOB_DEFAULTS)
