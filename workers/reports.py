"""Report actors: compile a requested attendance report, send the monthly summaries.

compile_report.send(run_id)       # after the commit that created the run
send_monthly_summaries.send()     # by the clock, early on the 1st of each month
resend_stale_report_runs.send()   # by the clock, every few minutes
"""

from __future__ import annotations

import dramatiq

from reslog_events.jobs import REPORTS_QUEUE

from . import broker  # noqa: F401  (the broker before any actor)


@dramatiq.actor(queue_name=REPORTS_QUEUE, max_retries=3, time_limit=15 * 60 * 1000)
def compile_report(run_id: int) -> None:
    """Compile report run `run_id` (idempotent: a finished run is left alone)."""
    from reslog_events.reports.operations import compile_run

    compile_run(run_id)


@dramatiq.actor(queue_name=REPORTS_QUEUE, max_retries=3)
def send_monthly_summaries() -> None:
    """Last month's summary to every coordinator who has not had it yet."""
    from reslog_events.reports.operations import send_monthly_summaries as send

    send()


@dramatiq.actor(queue_name=REPORTS_QUEUE, max_retries=0)
def resend_stale_report_runs() -> None:
    """Runs left `queued` while the broker was down: send them again (every few minutes)."""
    from reslog_events.reports.operations import resend_stale_runs

    resend_stale_runs()
