"""The one seam between the app and its runner (`workers/`): the broker and `enqueue`.

The app never imports `workers/`. It sends a message by actor name to the broker built here from
`app.config["REDIS_URL"]` (once per app, kept in `app.extensions["dramatiq"]`); `workers/`
declares the actors of those names on the same broker and runs them:

    enqueue("send_email", 42)                 # after the commit that wrote outbox row 42
    enqueue("send_emails", [42, 43], delay_ms=5000)

`REDIS_URL` picks the broker: `redis://…` Redis, `amqp://…` RabbitMQ, unset a StubBroker that the
embedded in-process worker consumes (trials only). Nothing connects until the first message.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from flask import Flask, current_app

logger = logging.getLogger(__name__)

MAIL_QUEUE = "mail"
#: fan-outs' batches (send_emails): a queue of their own, so that a single message someone is
#: waiting for (a confirmation) is not queued behind thousands of invitations (bench/surge.py)
BULK_MAIL_QUEUE = "mail_bulk"
MAINTENANCE_QUEUE = "maintenance"
REPORTS_QUEUE = "reports"

#: the actors the app enqueues, by name, and their queues (workers/ declares them so)
QUEUES = {
    "send_email": MAIL_QUEUE,
    "send_emails": BULK_MAIL_QUEUE,
    "compile_report": REPORTS_QUEUE,
}

#: the runner that embedded mode starts in the web process, loaded by name on the first request
EMBEDDED_RUNNER = "workers.embedded"


def _middleware() -> list[dramatiq.Middleware]:
    return [
        AgeLimit(),
        TimeLimit(time_limit=5 * 60 * 1000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(max_retries=8, min_backoff=1000, max_backoff=5 * 60 * 1000),
    ]


def make_broker(url: str | None) -> dramatiq.Broker:
    """The broker for `url` (see the module's docstring); it does not connect here."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url, middleware=_middleware())
    if url and url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        # publisher confirms: a message is enqueued only once RabbitMQ has it, and a queue
        # that disappeared (a vhost recreated) is declared again instead of dropping messages
        return RabbitmqBroker(url=url, confirm_delivery=True, middleware=_middleware())
    return StubBroker(middleware=_middleware())


def broker_of(app: Flask) -> dramatiq.Broker:
    return app.extensions["dramatiq"]


def enqueue(actor_name: str, *args: Any, delay_ms: int | None = None) -> dramatiq.Message:
    """Send a message to the actor `actor_name` (a name in QUEUES) with JSON arguments (ids).
    Raises when the broker is unreachable; callers keep their rows for the sweep."""
    broker = broker_of(current_app)
    queue_name = QUEUES[actor_name]
    broker.declare_queue(queue_name)  # idempotent; a StubBroker refuses undeclared queues
    message = dramatiq.Message(
        queue_name=queue_name, actor_name=actor_name, args=args, kwargs={}, options={}
    )
    return broker.enqueue(message, delay=delay_ms)


def init_app(app: Flask) -> None:
    app.extensions["dramatiq"] = make_broker(app.config.get("REDIS_URL"))
    if not app.config.get("EMBEDDED_WORKER"):
        return

    @app.before_request
    def _start_embedded_runner() -> None:
        state = app.extensions.setdefault("reslog_embedded", {})
        if state.get("pid") == os.getpid():
            return
        state["pid"] = os.getpid()
        name = app.config.get("EMBEDDED_RUNNER", EMBEDDED_RUNNER)
        try:
            runner = importlib.import_module(name)
        except ImportError:
            logger.warning("embedded mode: the runner %s is not installed; nothing is sent", name)
            return
        runner.start(app)
