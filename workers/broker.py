"""The Dramatiq broker: imported before any actor module (Dramatiq's rule).

`REDIS_URL` picks it: `redis://…` a RedisBroker, `amqp://…` a RabbitmqBroker, unset a StubBroker
that the embedded in-process worker consumes (trials only). The broker does not connect here:
clients connect on first use.
"""

from __future__ import annotations

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

from .middleware import AppContextMiddleware

#: the one app-context middleware of this process; create_app-built apps attach to it
app_context = AppContextMiddleware()


def _middleware() -> list[dramatiq.Middleware]:
    return [
        AgeLimit(),
        TimeLimit(time_limit=5 * 60 * 1000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(max_retries=8, min_backoff=1000, max_backoff=5 * 60 * 1000),
        app_context,
    ]


def make_broker(url: str | None) -> dramatiq.Broker:
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url, middleware=_middleware())
    if url and url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url, middleware=_middleware())
    return StubBroker(middleware=_middleware())


def _url_from_environment() -> str | None:
    from reslog_events.config import environment

    return environment().get("REDIS_URL") or None


broker = make_broker(_url_from_environment())
dramatiq.set_broker(broker)


def use_broker(new_broker: dramatiq.Broker) -> dramatiq.Broker:
    """Move every declared actor to `new_broker` (tests switch between stub and Redis)."""
    global broker
    old = broker
    for name in old.get_declared_actors():
        actor = old.get_actor(name)
        actor.broker = new_broker
        new_broker.declare_actor(actor)
    broker = new_broker
    dramatiq.set_broker(new_broker)
    return new_broker


def is_stub() -> bool:
    return isinstance(broker, StubBroker)
