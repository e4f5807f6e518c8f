"""The one scheduler process (`clock:` in the Procfile): it sends the messages of
`workers.schedule` on time; the workers do the work. Running two clocks is harmless (every job is
idempotent), merely wasteful.

    python -m workers.clock
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler

from .schedule import add_jobs


def build_scheduler(config: Mapping[str, Any]) -> BlockingScheduler:
    """The clock's scheduler for an app's `config`, on this process's broker."""
    from .broker import broker

    scheduler = BlockingScheduler(timezone="UTC")
    add_jobs(scheduler, broker, config)
    return scheduler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s clock %(levelname)s %(message)s")
    # the broker, then the actors; the app is built from the environment (its config checked)
    import workers  # noqa: F401
    from workers.broker import app_context

    build_scheduler(app_context.app.config).start()


if __name__ == "__main__":
    main()
