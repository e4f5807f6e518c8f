"""This process's broker: the app's (built by `reslog_events.jobs` from `REDIS_URL`), with the
app-context middleware; imported before any actor module (Dramatiq's rule).

Importing `workers` binds the runner to the app of the current app context (the web process in
embedded mode, a test), or else to one built from the environment with `create_app()` (the
`dramatiq workers` and `python -m workers.clock` processes), whose config check runs first.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from flask import Flask

from reslog_events.jobs import broker_of

from .middleware import AppContextMiddleware

#: the one app-context middleware of this process; `bind` attaches it to the app
app_context = AppContextMiddleware()
#: this process's broker (set by `bind`, below at import)
broker: dramatiq.Broker | None = None


def bind(app: Flask) -> dramatiq.Broker:
    """Make `app` the app of this process's runner: its broker becomes the global one, with
    every declared actor and the app-context middleware on it (tests switch brokers so too)."""
    global broker
    new = broker_of(app)
    if app_context not in new.middleware:
        new.add_middleware(app_context)
    app_context.attach(app)
    old, broker = broker, new
    if old is not None and old is not new:
        for name in old.get_declared_actors():
            actor = old.get_actor(name)
            actor.broker = new
            new.declare_actor(actor)
    dramatiq.set_broker(new)
    return new


def is_stub() -> bool:
    return isinstance(broker, StubBroker)


def _process_app() -> Flask:
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    from reslog_events import create_app

    return create_app()


bind(_process_app())
