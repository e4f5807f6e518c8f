"""The in-process worker of embedded mode (REDIS_URL unset): `flask run` alone sends emails.

`reslog_events.jobs` loads this module by name on the web process's first request (never at
import, never in CLI commands) and calls `start(app)`: a real `dramatiq.Worker` runs the actors on
the app's StubBroker, and a scheduler thread sends the messages of `workers.schedule`, the same
jobs as the clock process. For trials, not production: the queue lives in memory, so messages of a
stopped process are lost, and the first sweep of the next start (rows queued before it) hands
them over again from the outbox.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from dataclasses import dataclass

import dramatiq
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

logger = logging.getLogger(__name__)

#: worker threads of the embedded worker
THREADS = 2


@dataclass
class _Embedded:
    pid: int
    worker: dramatiq.Worker
    scheduler: BackgroundScheduler


_state: _Embedded | None = None
_lock = threading.Lock()


def _first_sweep(app: Flask) -> None:
    """Rows queued before this process started lost their in-memory messages: hand them over."""
    from reslog_events.mail.sweep import sweep

    try:
        with app.app_context():
            sweep(older_than=0)
    except Exception:  # noqa: BLE001 - the scheduled sweeps retry
        logger.exception("embedded worker: the first sweep failed")


def start(app: Flask) -> bool:
    """Start the embedded worker and its scheduler for `app` unless running in this process
    already. Returns True when it started them."""
    global _state
    if _state is not None and _state.pid == os.getpid():
        return False
    with _lock:
        if _state is not None and _state.pid == os.getpid():
            return False
        import workers  # noqa: F401 - the broker and every actor
        from workers.broker import bind, is_stub

        broker = bind(app)
        if not is_stub():
            logger.warning("EMBEDDED_WORKER is set but REDIS_URL names a broker: not starting")
            return False
        worker = dramatiq.Worker(broker, worker_threads=THREADS, worker_timeout=1000)
        worker.start()
        from .schedule import add_jobs

        scheduler = BackgroundScheduler(timezone="UTC")
        add_jobs(scheduler, broker, app.config)
        scheduler.add_job(_first_sweep, args=(app,), id="first-sweep")
        scheduler.start()
        _state = _Embedded(os.getpid(), worker, scheduler)
        atexit.register(_shutdown)
        logger.info("embedded worker started (%d threads); trials only", THREADS)
        return True


def _shutdown() -> None:
    global _state
    state, _state = _state, None
    if state is None or state.pid != os.getpid():
        return
    state.scheduler.shutdown(wait=False)
    state.worker.stop(timeout=5000)
    broker = state.worker.broker
    broker.middleware = [
        m for m in broker.middleware if getattr(m, "worker", None) is not state.worker
    ]
