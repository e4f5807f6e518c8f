"""The events API: create, list with filters, get, patch, publish, cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from reslog_events.core.columns import utcnow


def new_event(**overrides):
    body = {
        "title": "Yerel Yönetişim ve Göç Toplantısı",
        "kind": "forum",
        "level": "national",
        "starts_at": "2031-05-14T10:00",
        "ends_at": "2031-05-14T17:00",
        "timezone": "Europe/Istanbul",
        "venue": "Haliç Kongre Merkezi",
        "address": "Sütlüce Mah. Karaağaç Cad. No:1, Beyoğlu",
        "city": "İstanbul",
        "country": "TR",
        "capacity": 120,
        "rsvp_deadline": "2031-05-07T23:59",
        "languages": ["tr", "ar", "en"],
        "description": "Belediyeler ve mülteci toplulukları birlikte.",
    }
    body.update(overrides)
    return body


def test_create_returns_the_event_organised_by_the_caller(api, app):
    from reslog_events.audit.models import AuditLog
    from reslog_events.auth.models import User
    from reslog_events.extensions import db

    resp = api("organiser").post("/api/v1/events", json=new_event())
    assert resp.status_code == 201, resp.json
    event = resp.json
    assert event["status"] == "draft" and event["sequence"] == 0
    assert event["starts_at"] == "2031-05-14T10:00:00+03:00"
    assert event["ends_at"] == "2031-05-14T17:00:00+03:00"
    assert event["rsvp_deadline"] == "2031-05-07T23:59:00+03:00"
    assert event["languages"] == ["tr", "ar", "en"]
    assert event["city"] == "İstanbul" and event["capacity"] == 120
    organiser = db.session.scalar(sa.select(User).where(User.role == "organiser"))
    assert event["organiser_id"] == organiser.id
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "event.create")).one()
    assert audit.object_id == event["id"] and audit.user_id == organiser.id
    assert api("staff").get(f"/api/v1/events/{event['id']}").json == event


def test_create_with_status_published_publishes(api):
    resp = api("admin").post("/api/v1/events", json=new_event(status="published"))
    assert resp.status_code == 201
    assert resp.json["status"] == "published" and resp.json["published_at"]


def test_unknown_event_is_404_json(api):
    for method, path in (
        ("GET", "/api/v1/events/424242"),
        ("PATCH", "/api/v1/events/424242"),
        ("POST", "/api/v1/events/424242/cancel"),
    ):
        resp = api("admin").open(method, path, json={})
        assert resp.status_code == 404, (method, path)
        assert resp.json["error"]["code"] == "not_found"


def test_list_is_paginated_and_filtered(api, create_event):
    now = utcnow().replace(microsecond=0)
    forum = create_event(
        title="Göç Forumu", kind="forum", level="national", starts_at=now + timedelta(days=3)
    )
    create_event(
        title="Dayanıklılık Çalıştayı",
        kind="workshop",
        level="regional",
        starts_at=now + timedelta(days=5),
        status="draft",
        city="Ankara",
    )
    past = create_event(
        title="Şişli Yuvarlak Masa",
        kind="roundtable",
        level="local",
        starts_at=now - timedelta(days=20),
    )
    client = api("coordinator")

    everything = client.get("/api/v1/events").json
    assert everything["total"] == 3
    assert [e["title"] for e in everything["items"]][0] == "Şişli Yuvarlak Masa"

    page = client.get("/api/v1/events?per_page=2&page=2").json
    assert page["total"] == 3 and len(page["items"]) == 1

    def titles(query):
        resp = client.get("/api/v1/events?" + query)
        assert resp.status_code == 200, resp.json
        return [e["title"] for e in resp.json["items"]]

    assert titles("kind=workshop") == ["Dayanıklılık Çalıştayı"]
    assert titles("level=local") == ["Şişli Yuvarlak Masa"]
    assert titles("status=draft") == ["Dayanıklılık Çalıştayı"]
    assert titles("q=sisli") == ["Şişli Yuvarlak Masa"]
    assert titles("q=ANKARA") == ["Dayanıklılık Çalıştayı"]
    assert titles("q=GÖÇ forum") == ["Göç Forumu"]
    assert titles("when=past") == ["Şişli Yuvarlak Masa"]
    assert titles("when=upcoming") == ["Göç Forumu", "Dayanıklılık Çalıştayı"]
    day = forum.local_starts_at.date().isoformat()
    assert titles(f"from={day}&to={day}") == ["Göç Forumu"]
    assert titles(f"from={past.local_starts_at.date().isoformat()}&to={day}") == [
        "Şişli Yuvarlak Masa",
        "Göç Forumu",
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=party", "kind"),
        ("level=galactic", "level"),
        ("status=deleted", "status"),
        ("from=2031-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2031-05-02&to=2031-05-01", "to"),
        ("page=0", "page"),
        ("per_page=501", "per_page"),
        ("colour=red", "colour"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_list_rejects_bad_filters(api, query, field):
    resp = api("staff").get("/api/v1/events?" + query)
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


def test_patch_changes_fields_and_audits(api, app):
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event()).json
    resp = client.patch(
        f"/api/v1/events/{event['id']}",
        json={"title": "Yeni başlık", "capacity": None, "languages": ["tr", "tr", "sv"]},
    )
    assert resp.status_code == 200, resp.json
    assert resp.json["title"] == "Yeni başlık"
    assert resp.json["capacity"] is None
    assert resp.json["languages"] == ["tr", "sv"]
    assert resp.json["sequence"] == 0  # a draft: nobody to notify
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "event.update")).one()
    assert entry.data["changes"]["title"] == [event["title"], "Yeni başlık"]
    assert entry.data["changes"]["capacity"] == [120, None]


def test_patch_may_not_null_required_fields(api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event()).json
    for field in ("title", "kind", "starts_at", "timezone", "languages", "is_public"):
        resp = client.patch(f"/api/v1/events/{event['id']}", json={field: None})
        assert resp.status_code == 422, field
        assert field in resp.json["error"]["fields"]


def test_publish_by_patch_then_no_way_back_to_draft(api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event()).json
    url = f"/api/v1/events/{event['id']}"
    published = client.patch(url, json={"status": "published"})
    assert published.status_code == 200 and published.json["status"] == "published"
    again = client.patch(url, json={"status": "published"})
    assert again.status_code == 200 and again.json["published_at"] == published.json["published_at"]
    back = client.patch(url, json={"status": "draft"})
    assert back.status_code == 409 and back.json["error"]["code"] == "already_published"


def test_cancel_raises_sequence_and_freezes_the_event(api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event(status="published")).json
    url = f"/api/v1/events/{event['id']}"
    resp = client.post(url + "/cancel")
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "cancelled" and resp.json["sequence"] == 1
    assert resp.json["cancelled_at"]
    twice = client.post(url + "/cancel")
    assert twice.status_code == 409 and twice.json["error"]["code"] == "already_cancelled"
    for body in ({"title": "x"}, {"status": "published"}, {}):
        edit = client.patch(url, json=body)
        assert edit.status_code == 409 and edit.json["error"]["code"] == "event_cancelled"
    assert client.get(url).json["sequence"] == 1


def test_cancel_by_patch_must_come_alone(api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event(status="published")).json
    url = f"/api/v1/events/{event['id']}"
    mixed = client.patch(url, json={"status": "cancelled", "title": "x"})
    assert mixed.status_code == 422 and "status" in mixed.json["error"]["fields"]
    alone = client.patch(url, json={"status": "cancelled"})
    assert alone.status_code == 200 and alone.json["status"] == "cancelled"


def test_unknown_host_organisation_is_a_field_error(api, create_organisation):
    union = create_organisation(name="Marmara Belediyeler Birliği", kind="union", code="MBB")
    client = api("organiser")
    resp = client.post("/api/v1/events", json=new_event(host_organisation_id=union.id + 100))
    assert resp.status_code == 422
    assert "host_organisation_id" in resp.json["error"]["fields"]
    ok = client.post("/api/v1/events", json=new_event(host_organisation_id=union.id))
    assert ok.status_code == 201 and ok.json["host_organisation_id"] == union.id


def test_events_are_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    assert {"get", "post"} <= set(doc["paths"]["/api/v1/events"])
    assert {"get", "patch"} <= set(doc["paths"]["/api/v1/events/{event_id}"])
    params = {p["name"] for p in doc["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert {"status", "kind", "level", "from", "to", "q", "page", "per_page"} <= params
    assert "timezone" in doc["components"]["schemas"]["EventIn"]["properties"]
