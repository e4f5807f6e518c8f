"""A worker that shuts down lets the messages in hand finish before it closes the mail
backends' connections: closing a thread's SMTP connection under it made smtplib fail with
AttributeError ('NoneType' object has no attribute 'makefile') in the middle of a send, which
nothing caught (seen in the worker_kill drill, bench/drills.py)."""

from __future__ import annotations

import threading
import time

import dramatiq
from dramatiq.brokers.stub import StubBroker

from workers.middleware import AppContextMiddleware


def test_mail_connections_close_after_the_messages_in_hand(app, monkeypatch):
    closed: list[object] = []
    monkeypatch.setattr("reslog_events.mail.backends.close_backends", closed.append)
    broker = StubBroker()
    middleware = AppContextMiddleware()
    middleware.attach(app)
    broker.add_middleware(middleware)
    started, seen = threading.Event(), {}

    @dramatiq.actor(broker=broker, max_retries=0)
    def sending():
        started.set()
        time.sleep(0.3)  # a send in progress when the shutdown begins
        seen["closed while sending"] = bool(closed)

    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        sending.send()
        assert started.wait(5)
    finally:
        worker.stop()
    assert seen == {"closed while sending": False}
    assert closed == [app]  # and closed once the worker is done
