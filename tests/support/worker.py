"""A real Dramatiq worker on the StubBroker, in the test process.

    def test_confirmation_email(stub_worker, ...):
        ...                      # commit something that queues an email
        stub_worker.drain()      # every queued message (and the ones they enqueue) processed
        assert stub_worker.messages()  # MAIL_BACKEND=file in tests: the .eml files, parsed

Messages wait in the stub queues until `drain()` runs a `dramatiq.Worker` over them (so a test
decides when the worker gets to them); `start()` keeps one running in the background instead
(e.g. for a page that polls progress). The worker's threads get their own app context per
message (workers.middleware), so they see only what the test committed.
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker


class StubWorker:
    def __init__(self, app, broker: StubBroker, threads: int = 2) -> None:
        self.app = app
        self.broker = broker
        self.threads = threads
        self.worker: dramatiq.Worker | None = None

    @property
    def running(self) -> bool:
        return self.worker is not None

    def start(self) -> None:
        if self.worker is None:
            self.worker = dramatiq.Worker(
                self.broker, worker_timeout=20, worker_threads=self.threads
            )
            self.worker.start()

    def stop(self) -> None:
        worker, self.worker = self.worker, None
        if worker is None:
            return
        worker.stop()
        # Worker.start() added its middleware to the broker: take it off again.
        self.broker.middleware = [
            m for m in self.broker.middleware if getattr(m, "worker", None) is not worker
        ]

    def drain(self, timeout_ms: int = 30_000, *, fail_fast: bool = True) -> None:
        """Process every queued message, and the ones they enqueue (a batch's retries, a sweep's
        re-enqueues), until all queues are empty and the worker idle."""
        started_here = not self.running
        self.start()
        try:
            for _ in range(50):
                for queue_name in sorted(self.broker.get_declared_queues()):
                    self.broker.join(queue_name, timeout=timeout_ms, fail_fast=fail_fast)
                self.worker.join()
                if not any(q.unfinished_tasks for q in self.broker.queues.values()):
                    return
            raise AssertionError("the stub broker's queues did not settle")
        finally:
            if started_here:
                self.stop()

    def outbox_files(self) -> list[Path]:
        """The .eml files written by MAIL_BACKEND=file, in outbox id order."""
        return sorted(Path(self.app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))

    def messages(self) -> list[email.message.EmailMessage]:
        """The written messages, parsed, in outbox id order."""
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in self.outbox_files()
        ]


@pytest.fixture
def stub_worker(app):
    """Runs the actors on the StubBroker (fresh queues) with a real dramatiq.Worker."""
    import workers  # noqa: F401 - declares the actors
    from workers.broker import bind

    broker = bind(app)  # the app's own StubBroker (REDIS_URL unset in tests)
    assert isinstance(broker, StubBroker), broker
    broker.flush_all()
    helper = StubWorker(app, broker)
    try:
        yield helper
    finally:
        helper.stop()
        broker.flush_all()
