"""The runner: `dramatiq workers` imports this package, which binds the broker first (the app's,
see broker.py) and then declares every actor module. The app never imports this package.

    dramatiq workers --processes 2 --threads 8
"""

from . import broker  # noqa: F401  (must come first)
from .mail import (
    send_certificates,
    send_email,
    send_emails,
    send_feedback_surveys,
    send_scheduled_reminders,
    sweep_outbox,
)
from .privacy import delete_stale_imports, purge_expired_answers
from .reports import compile_report, resend_stale_report_runs, send_monthly_summaries

__all__ = [
    "broker",
    "compile_report",
    "delete_stale_imports",
    "purge_expired_answers",
    "resend_stale_report_runs",
    "send_certificates",
    "send_email",
    "send_emails",
    "send_feedback_surveys",
    "send_monthly_summaries",
    "send_scheduled_reminders",
    "sweep_outbox",
]
