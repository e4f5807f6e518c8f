"""A real Dramatiq worker on the StubBroker, in the test process.

    def test_confirmation_email(stub_worker, ...):
        ...                      # commit something that queues an email
        stub_worker.drain()      # every queued message (and the ones they enqueue) processed
        assert stub_worker.outbox_files()  # MAIL_BACKEND=file in tests

The worker's threads get their own app context per message (workers.middleware), so they see
only what the test committed.
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker


class StubWorker:
    def __init__(self, app, broker: StubBroker, worker: dramatiq.Worker) -> None:
        self.app = app
        self.broker = broker
        self.worker = worker

    def drain(self, timeout_ms: int = 30_000, *, fail_fast: bool = True) -> None:
        """Wait until every queue (and its delay queue) is empty and the worker idle; repeats
        because a message may enqueue others (a batch's retries, a sweep's re-enqueues)."""
        for _ in range(50):
            for queue_name in sorted(self.broker.get_declared_queues()):
                self.broker.join(queue_name, timeout=timeout_ms, fail_fast=fail_fast)
            self.worker.join()
            if not any(q.unfinished_tasks for q in self.broker.queues.values()):
                return
        raise AssertionError("the stub broker's queues did not settle")

    def outbox_files(self) -> list[Path]:
        """The .eml files written by MAIL_BACKEND=file, in outbox id order."""
        return sorted(Path(self.app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))

    def messages(self) -> list[email.message.EmailMessage]:
        """The written messages, parsed."""
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in self.outbox_files()
        ]


@pytest.fixture
def stub_worker(app):
    """A started dramatiq.Worker consuming the StubBroker (fresh queues), stopped afterwards."""
    import workers  # noqa: F401 - declares the actors
    from workers import broker as broker_module

    broker = broker_module.broker
    if not isinstance(broker, StubBroker):  # a test before may have switched to Redis
        broker = broker_module.use_broker(broker_module.make_broker(None))
    broker.flush_all()
    worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=2)
    worker.start()
    try:
        yield StubWorker(app, broker, worker)
    finally:
        worker.stop()
        broker.flush_all()
