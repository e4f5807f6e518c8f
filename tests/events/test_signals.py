"""Signals sent by event writes: what changed, once, and inside the transaction of the change."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa

from reslog_events.core import signals
from tests.events.test_api import new_event


@contextmanager
def received(signal):
    """Collect (sender, kwargs) of every send, and whether a transaction was open then."""
    from reslog_events.events.models import Event
    from reslog_events.extensions import db

    calls = []

    def receiver(sender, **kwargs):
        # what the database says inside the transaction: the change is flushed before the send
        flushed = db.session.execute(
            sa.select(Event.sequence, Event.status).where(Event.id == sender.id)
        ).one()
        calls.append(
            {
                "event": sender,
                "kwargs": kwargs,
                "in_transaction": db.session().in_transaction(),
                "sequence": flushed.sequence,
                "status": flushed.status.value,
            }
        )

    with signal.connected_to(receiver):
        yield calls


def published_event(api):
    return api("organiser").post("/api/v1/events", json=new_event(status="published")).json


def test_rescheduling_a_published_event_sends_the_changes(api):
    event = published_event(api)
    with received(signals.event_rescheduled) as calls:
        resp = api("organiser").patch(
            f"/api/v1/events/{event['id']}",
            json={
                "starts_at": "2031-05-14T11:00",
                "venue": "Şişli Kültür Merkezi",
                "title": "Yeni başlık",
                "capacity": 80,
            },
        )
    assert resp.status_code == 200 and resp.json["sequence"] == 1
    assert len(calls) == 1
    call = calls[0]
    assert call["in_transaction"] and call["sequence"] == 1
    changes = call["kwargs"]["changes"]
    assert set(changes) == {"starts_at", "venue"}  # title and capacity are not news
    assert changes["starts_at"] == (
        datetime(2031, 5, 14, 7, 0, tzinfo=UTC),
        datetime(2031, 5, 14, 8, 0, tzinfo=UTC),
    )
    assert changes["venue"] == ("Haliç Kongre Merkezi", "Şişli Kültür Merkezi")


def test_each_reschedule_raises_sequence_once(api):
    event = published_event(api)
    url = f"/api/v1/events/{event['id']}"
    client = api("organiser")
    with received(signals.event_rescheduled) as calls:
        assert client.patch(url, json={"city": "Bursa"}).json["sequence"] == 1
        assert (
            client.patch(url, json={"online_url": "https://meet.example.org/x"}).json["sequence"]
            == 2
        )
        # the same values again, and a change that is not news: no signal, no new sequence
        assert client.patch(url, json={"city": "Bursa"}).json["sequence"] == 2
        assert client.patch(url, json={"description": "Gündem eklendi."}).json["sequence"] == 2
        # the same instant given with another offset is not a change either
        assert client.patch(url, json={"starts_at": "2031-05-14T07:00Z"}).json["sequence"] == 2
    assert [list(c["kwargs"]["changes"]) for c in calls] == [["city"], ["online_url"]]


def test_a_draft_changes_silently(api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event()).json
    with received(signals.event_rescheduled) as calls:
        resp = client.patch(f"/api/v1/events/{event['id']}", json={"city": "Adana"})
    assert resp.json["sequence"] == 0 and calls == []


def test_zone_change_is_news(api):
    event = published_event(api)
    with received(signals.event_rescheduled) as calls:
        api("organiser").patch(f"/api/v1/events/{event['id']}", json={"timezone": "Europe/Sofia"})
    assert calls[0]["kwargs"]["changes"] == {"timezone": ("Europe/Istanbul", "Europe/Sofia")}


def test_publishing_sends_event_published_once(api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event()).json
    url = f"/api/v1/events/{event['id']}"
    with (
        received(signals.event_published) as calls,
        received(signals.event_rescheduled) as rescheduled,
    ):
        client.patch(url, json={"status": "published", "city": "Ankara"})
        client.patch(url, json={"status": "published"})
    assert len(calls) == 1 and calls[0]["status"] == "published" and calls[0]["in_transaction"]
    assert rescheduled == []  # the draft's change happened before it was published


def test_cancelling_sends_event_cancelled_once(api):
    event = published_event(api)
    client = api("organiser")
    with received(signals.event_cancelled) as calls:
        assert client.post(f"/api/v1/events/{event['id']}/cancel").status_code == 200
        assert client.post(f"/api/v1/events/{event['id']}/cancel").status_code == 409
    assert len(calls) == 1
    assert calls[0]["status"] == "cancelled" and calls[0]["sequence"] == 1
    assert calls[0]["in_transaction"]


def test_receivers_write_in_the_same_transaction(api, app):
    """A receiver's write commits with the change, and a failed change leaves neither."""
    from reslog_events.audit.models import AuditLog
    from reslog_events.audit.operations import record
    from reslog_events.extensions import db

    def queue_update(sender, changes):
        record("test.update_queued", sender, {"fields": sorted(changes)})

    event = published_event(api)
    with signals.event_rescheduled.connected_to(queue_update):
        ok = api("organiser").patch(f"/api/v1/events/{event['id']}", json={"city": "Hatay"})
        bad = api("organiser").patch(
            f"/api/v1/events/{event['id']}", json={"city": "Mersin", "ends_at": "2031-05-13T10:00"}
        )
    assert ok.status_code == 200 and bad.status_code == 422
    db.session.remove()
    rows = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "test.update_queued")
    ).all()
    assert [row.data for row in rows] == [{"fields": ["city"]}]
