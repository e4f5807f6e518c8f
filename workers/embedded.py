"""The in-process worker of embedded mode (REDIS_URL unset): `flask run` alone sends emails.

The web process runs the actors on the StubBroker with a real `dramatiq.Worker`, plus a small
clock thread that sweeps the outbox and sends the scheduled reminders. It starts once per process
on the first request (never at import, never in CLI commands). For trials, not production: the
queue lives in memory, so messages of a stopped process are lost, and the next start's sweep
(rows queued before it) hands them over again from the outbox.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from dataclasses import dataclass

import dramatiq
from flask import Flask

logger = logging.getLogger(__name__)

#: worker threads of the embedded worker
THREADS = 2
#: seconds between two sweeps of the outbox
SWEEP_EVERY = 30
#: seconds between two runs of the scheduled reminders
REMINDERS_EVERY = 15 * 60


@dataclass
class _Embedded:
    pid: int
    worker: dramatiq.Worker
    clock: threading.Thread
    stop: threading.Event


_state: _Embedded | None = None
_lock = threading.Lock()


def _clock(app: Flask, stop: threading.Event) -> None:
    from reslog_events.certificates.mailing import send_certificates
    from reslog_events.invitations.reminders import send_scheduled_reminders
    from reslog_events.mail.sweep import sweep

    def run(job, label: str) -> None:
        try:
            with app.app_context():
                job()
        except Exception:  # noqa: BLE001 - keep the clock alive; the next tick retries
            logger.exception("embedded clock: %s failed", label)

    # Rows queued before this process started lost their in-memory messages: hand them over.
    run(lambda: sweep(older_than=0), "first sweep")
    ticks = 0
    while not stop.wait(SWEEP_EVERY):
        ticks += 1
        run(sweep, "sweep")
        if ticks % max(1, REMINDERS_EVERY // SWEEP_EVERY) == 0:
            run(send_scheduled_reminders, "reminders")
            run(send_certificates, "certificates")


def start(app: Flask) -> bool:
    """Start the embedded worker and clock for `app` unless running in this process already.
    Returns True when it started them."""
    global _state
    if _state is not None and _state.pid == os.getpid():
        return False
    with _lock:
        if _state is not None and _state.pid == os.getpid():
            return False
        import workers  # noqa: F401 - the broker and every actor
        from workers.broker import app_context, broker, is_stub

        if not is_stub():
            logger.warning("EMBEDDED_WORKER is set but REDIS_URL names a broker: not starting")
            return False
        app_context.attach(app)
        worker = dramatiq.Worker(broker, worker_threads=THREADS, worker_timeout=1000)
        worker.start()
        stop = threading.Event()
        clock = threading.Thread(
            target=_clock, args=(app, stop), name="reslog-embedded-clock", daemon=True
        )
        clock.start()
        _state = _Embedded(os.getpid(), worker, clock, stop)
        atexit.register(_shutdown)
        logger.info("embedded worker started (%d threads); trials only", THREADS)
        return True


def _shutdown() -> None:
    global _state
    state, _state = _state, None
    if state is None or state.pid != os.getpid():
        return
    state.stop.set()
    state.worker.stop(timeout=5000)
    broker = state.worker.broker
    broker.middleware = [
        m for m in broker.middleware if getattr(m, "worker", None) is not state.worker
    ]


def init_app(app: Flask) -> None:
    if not app.config.get("EMBEDDED_WORKER"):
        return

    @app.before_request
    def _start_embedded_worker() -> None:
        if _state is None or _state.pid != os.getpid():
            start(app)
