"""Gives every message a fresh Flask app context (Flask-SQLAlchemy scopes its session to it)."""

from __future__ import annotations

import threading
from typing import Any

import dramatiq
from flask import Flask


class AppContextMiddleware(dramatiq.Middleware):
    """Push an app context before each message and pop it (removing the session) after.

    The app is the one `workers.broker.bind(app)` attached: the web process's in embedded mode, a
    test's, or the one a `dramatiq workers` process built from the environment on import.
    """

    def __init__(self) -> None:
        self.app: Flask | None = None
        self._local = threading.local()
        self._lock = threading.Lock()

    def attach(self, app: Flask) -> None:
        self.app = app

    def _get_app(self) -> Flask:
        with self._lock:
            if self.app is None:
                from reslog_events import create_app

                self.app = create_app()
            return self.app

    def before_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        self._get_app()

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        # close the mail backends' connections (SMTP) before the process goes, once its threads
        # have finished the messages in hand (dramatiq emits the "before" event first: closing
        # then pulled a connection from under a send)
        if self.app is not None:
            from reslog_events.mail.backends import close_backends

            close_backends(self.app)

    def before_process_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        ctx = self._get_app().app_context()
        ctx.push()
        self._local.ctx = ctx

    def _pop(self) -> None:
        ctx = getattr(self._local, "ctx", None)
        if ctx is None:
            return
        self._local.ctx = None
        from reslog_events.extensions import db

        try:
            db.session.remove()
        finally:
            ctx.pop()

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.Message,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        self._pop()

    def after_skip_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        self._pop()
