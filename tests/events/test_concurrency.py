"""Concurrent writes to one event queue up on its row lock (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest

from reslog_events.core import signals
from tests.events.test_api import new_event


def run_together(app, requests):
    """Send the requests from threads at the same moment; their statuses and bodies."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def send(index, method, path, kwargs):
        client = app.test_client()
        barrier.wait()
        resp = client.open(path, method=method, **kwargs)
        results[index] = (resp.status_code, resp.json)

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def slow_receiver(calls):
    def receive(sender, **kwargs):
        calls.append(sender.id)
        time.sleep(0.3)  # keep the transaction open while the other request arrives

    return receive


@pytest.mark.postgres_only
def test_two_cancels_at_once_notify_once(app, api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event(status="published")).json
    path = f"/api/v1/events/{event['id']}/cancel"
    calls: list[int] = []
    with signals.event_cancelled.connected_to(slow_receiver(calls)):
        results = run_together(app, [("POST", path, {"headers": client.headers})] * 2)
    assert sorted(status for status, _body in results) == [200, 409]
    assert calls == [event["id"]]
    assert client.get(f"/api/v1/events/{event['id']}").json["sequence"] == 1


@pytest.mark.postgres_only
def test_two_reschedules_at_once_raise_sequence_twice(app, api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event(status="published")).json
    path = f"/api/v1/events/{event['id']}"
    calls: list[int] = []
    requests = [
        ("PATCH", path, {"headers": client.headers, "json": {"city": "Bursa"}}),
        ("PATCH", path, {"headers": client.headers, "json": {"venue": "Merinos AKKM"}}),
    ]
    with signals.event_rescheduled.connected_to(slow_receiver(calls)):
        results = run_together(app, requests)
    assert [status for status, _body in results] == [200, 200]
    assert sorted(body["sequence"] for _status, body in results) == [1, 2]
    final = client.get(path).json
    assert final["sequence"] == 2 and final["city"] == "Bursa" and final["venue"] == "Merinos AKKM"
    assert len(calls) == 2
