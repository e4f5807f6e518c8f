"""Recurring series through the API: made from an event, changed for the events to come,
cancelled by the events' own cancellation; every step audited."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.events.models import Event, EventStatus
from reslog_events.extensions import db
from reslog_events.mail.models import OutgoingEmail
from reslog_events.series.models import EventSeries
from tests.events.test_api import new_event

#: Tuesday 12 January 2027, the second Tuesday of its month, 14:00 in Istanbul
FIRST = {"starts_at": "2027-01-12T14:00", "ends_at": "2027-01-12T17:00", "rsvp_deadline": None}


def _roundtable(api) -> dict:
    created = api("organiser").post(
        "/api/v1/events", json=new_event(title="Aylık Yuvarlak Masa", kind="roundtable", **FIRST)
    )
    assert created.status_code == 201, created.json
    return created.json


def _series(api, event_id: int, method: str = "POST", role: str = "organiser", **body):
    return api(role).open(method, f"/api/v1/events/{event_id}/series", json=body)


def _days(series: dict) -> list[str]:
    return [e["starts_at"] for e in series["events"]]


def test_a_monthly_roundtable_on_the_second_tuesday(api):
    first = _roundtable(api)
    resp = _series(api, first["id"], frequency="monthly", week_of_month=2, weekday=1, occurrences=4)
    assert resp.status_code == 201, resp.json
    series = resp.json
    assert _days(series) == [
        "2027-01-12T14:00:00+03:00",
        "2027-02-09T14:00:00+03:00",
        "2027-03-09T14:00:00+03:00",
        "2027-04-13T14:00:00+03:00",
    ]
    assert [e["status"] for e in series["events"]] == ["draft"] * 4
    assert series["first_day"] == "2027-01-12" and series["occurrences"] == 4
    # every event names the series; each one answers it
    for occurrence in series["events"]:
        event = api("organiser").get(f"/api/v1/events/{occurrence['id']}").json
        assert event["series_id"] == series["id"] and event["title"] == "Aylık Yuvarlak Masa"
    again = api("coordinator").get(f"/api/v1/events/{series['events'][2]['id']}/series")
    assert again.status_code == 200 and _days(again.json) == _days(series)
    audit = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "series.create"))
    assert audit.object_id == series["id"] and len(audit.data["created"]) == 3
    assert audit.data["rule"]["week_of_month"] == 2
    # one series per event
    twice = _series(api, first["id"], frequency="weekly", occurrences=3)
    assert twice.status_code == 409 and twice.json["error"]["code"] == "already_in_series"
    assert api("organiser").get("/api/v1/events/999999/series").status_code == 404
    lone = _roundtable(api)
    assert api("organiser").get(f"/api/v1/events/{lone['id']}/series").status_code == 404


def test_changing_the_rule_moves_drafts_and_keeps_published_events(api):
    first = _roundtable(api)
    series = _series(api, first["id"], frequency="monthly", occurrences=4).json
    ids = [e["id"] for e in series["events"]]
    published = db.session.get(Event, ids[1])  # February's is published as it is
    published.status = EventStatus.published
    db.session.commit()
    # from now on every four weeks, five events in all: 9 February (published already, so it
    # stays the one on that day), 9 March (the draft stays), 6 April (April's draft moves
    # there), 4 May (new)
    body = {"frequency": "weekly", "interval": 4, "occurrences": 5}
    preview = _series(api, ids[0], "PUT", dry_run=True, **body)
    assert preview.status_code == 200, preview.json
    assert preview.json == {
        "dry_run": True,
        "moved": [{"id": ids[3], "starts_on": "2027-04-06"}],
        "created": ["2027-05-04"],
        "created_ids": [],
        "cancelled": [],
        "kept": [ids[0], ids[1]],
    }
    assert db.session.get(Event, ids[3]).local_starts_at.date() == date(2027, 4, 13)  # untouched
    done = _series(api, ids[0], "PUT", **body)
    assert done.status_code == 200 and len(done.json["created_ids"]) == 1
    after = api("organiser").get(f"/api/v1/events/{ids[0]}/series").json
    assert _days(after) == [
        "2027-01-12T14:00:00+03:00",
        "2027-02-09T14:00:00+03:00",
        "2027-03-09T14:00:00+03:00",
        "2027-04-06T14:00:00+03:00",
        "2027-05-04T14:00:00+03:00",
    ]
    assert after["frequency"] == "weekly" and after["occurrences"] == 5
    assert after["week_of_month"] is None
    # fewer events: the drafts left over are cancelled
    shorter = _series(api, ids[0], "PUT", frequency="weekly", interval=4, occurrences=3)
    assert [c["id"] for c in shorter.json["cancelled"]] == [ids[3], done.json["created_ids"][0]]
    assert db.session.get(Event, ids[3]).status == EventStatus.cancelled
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "series.update")
        )
        == 2
    )


def test_cancel_the_remaining_events_through_the_usual_cancellation(
    api, create_invitation, create_contact
):
    first = _roundtable(api)
    series = _series(api, first["id"], frequency="weekly", interval=2, occurrences=3).json
    ids = [e["id"] for e in series["events"]]
    third = db.session.get(Event, ids[2])
    third.status = EventStatus.published
    db.session.commit()
    invited = api("organiser").post(
        f"/api/v1/events/{third.id}/invitations",
        json={"contact_ids": [create_contact(language="ar").id, create_contact().id]},
    )
    assert invited.status_code == 202, invited.json
    db.session.execute(sa.update(OutgoingEmail).values(status="sent"))
    db.session.commit()

    preview = api("organiser").post(
        f"/api/v1/events/{ids[1]}/series/cancel", json={"dry_run": True}
    )
    assert preview.json["cancelled"] == [
        {"id": ids[0], "notified": 0},
        {"id": ids[1], "notified": 0},
        {"id": ids[2], "notified": 2},
    ]
    assert db.session.get(Event, ids[0]).status == EventStatus.draft
    done = api("organiser").post(f"/api/v1/events/{ids[1]}/series/cancel", json={})
    assert done.status_code == 200, done.json
    statuses = db.session.scalars(sa.select(Event.status).where(Event.id.in_(ids))).all()
    assert set(statuses) == {EventStatus.cancelled}
    cancellations = db.session.scalars(
        sa.select(OutgoingEmail.to_address).where(OutgoingEmail.kind == "cancellation")
    ).all()
    assert len(cancellations) == 2
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "event.cancel")
        )
        == 3
    )
    audit = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "series.cancel"))
    assert audit.data == {"cancelled": ids, "notified": 2}
    again = api("organiser").post(f"/api/v1/events/{ids[1]}/series/cancel", json={})
    assert again.status_code == 409
    changed = _series(api, ids[1], "PUT", frequency="weekly", occurrences=3)
    assert changed.status_code == 409


def test_bad_rules_are_refused_in_the_callers_language(api):
    first = _roundtable(api)
    path = f"/api/v1/events/{first['id']}/series?lang=tr"
    both = api("organiser").post(
        path, json={"frequency": "monthly", "until": "2027-06-01", "occurrences": 4}
    )
    assert both.status_code == 422
    assert both.json["error"]["fields"]["until"] == (
        "Ya bir bitiş tarihi ya da etkinlik sayısı verin, ikisini birden değil."
    )
    too_many = api("organiser").post(path, json={"frequency": "weekly", "occurrences": 60})
    assert too_many.status_code == 422 and "occurrences" in too_many.json["error"]["fields"]
    for body in (
        {},
        {"frequency": "daily", "occurrences": 3},
        {"frequency": "weekly", "occurrences": "üç"},
        {"frequency": "weekly", "occurrences": 3, "weekday": 7},
        {"frequency": "weekly", "occurrences": 3, "interval": True},
        {"frequency": "weekly", "until": "2027-13-01"},
    ):
        resp = api("organiser").post(path, json=body)
        assert resp.status_code == 422, (body, resp.json)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
    # only editors make series
    for role in ("staff", "coordinator"):
        refused = _series(api, first["id"], role=role, frequency="weekly", occurrences=3)
        assert refused.status_code == 403


def test_a_series_of_another_unions_event_is_not_reachable(world):
    cbb = world.events["ÇBB"]
    body = {"frequency": "weekly", "occurrences": 2}
    made = world.api("ÇBB", "organiser").post(f"/api/v1/events/{cbb.id}/series", json=body)
    assert made.status_code == 201, made.json
    for method, path, payload in (
        ("GET", f"/api/v1/events/{cbb.id}/series", None),
        ("POST", f"/api/v1/events/{cbb.id}/series", body),
        ("PUT", f"/api/v1/events/{cbb.id}/series", body),
        ("POST", f"/api/v1/events/{cbb.id}/series/cancel", {}),
    ):
        resp = world.api("MBB", "organiser").open(method, path, json=payload)
        assert resp.status_code == 404, (method, path, resp.json)
    copy_id = made.json["events"][1]["id"]
    assert (
        world.api("MBB", "coordinator").get(f"/api/v1/events/{copy_id}/series").status_code == 404
    )
    assert (
        world.api("ÇBB", "coordinator").get(f"/api/v1/events/{copy_id}/series").status_code == 200
    )


@pytest.mark.postgres_only
def test_two_series_from_one_event_at_once_make_one(app, api):
    from tests.events.test_concurrency import run_together

    first = _roundtable(api)
    client = api("organiser")
    request = (
        "POST",
        f"/api/v1/events/{first['id']}/series",
        {"headers": client.headers, "json": {"frequency": "weekly", "occurrences": 3}},
    )
    results = run_together(app, [request] * 2)
    assert sorted(status for status, _body in results) == [201, 409]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventSeries)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 3
