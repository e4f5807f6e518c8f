"""Dramatiq workers: `dramatiq workers` imports this package, which imports the broker first and
then every actor module.

    dramatiq workers --processes 2 --threads 8
"""

from . import broker  # noqa: F401  (must come first)
from .mail import send_email, send_emails, send_scheduled_reminders, sweep_outbox

__all__ = ["broker", "send_email", "send_emails", "send_scheduled_reminders", "sweep_outbox"]
