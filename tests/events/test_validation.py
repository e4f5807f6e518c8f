"""Bad input to the events API: always a 4xx JSON error naming the field, never a 500."""

from __future__ import annotations

import pytest

from tests.events.test_api import new_event

CREATE_CASES = [
    ({"title": ""}, "title"),
    ({"title": 5}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"kind": "party"}, "kind"),
    ({"level": "galactic"}, "level"),
    ({"status": "cancelled"}, "status"),
    ({"status": "archived"}, "status"),
    ({"starts_at": 1_900_000_000}, "starts_at"),
    ({"starts_at": "1900000000"}, "starts_at"),
    ({"starts_at": "tomorrow at ten"}, "starts_at"),
    ({"starts_at": "2031-02-30T10:00"}, "starts_at"),
    ({"starts_at": "2031-05-14"}, "starts_at"),
    ({"starts_at": None}, "starts_at"),
    ({"starts_at": "0001-01-01T00:00+05:00"}, "starts_at"),
    ({"ends_at": "9999-12-31T23:59-05:00"}, "ends_at"),
    ({"ends_at": "2031-05-14T09:00"}, "ends_at"),
    ({"ends_at": "2031-05-14T10:00"}, "ends_at"),
    ({"rsvp_deadline": "2031-05-15T10:00"}, "rsvp_deadline"),
    ({"rsvp_deadline": ["2031-05-01"]}, "rsvp_deadline"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"timezone": ""}, "timezone"),
    ({"timezone": 3}, "timezone"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": -5}, "capacity"),
    ({"capacity": "many"}, "capacity"),
    ({"capacity": True}, "capacity"),
    ({"capacity": 1.5}, "capacity"),
    ({"capacity": 10**9}, "capacity"),
    ({"languages": ["de"]}, "languages.0"),
    ({"languages": "tr"}, "languages"),
    ({"languages": ["tr", "en", "ar", "sv", "tr"]}, "languages"),
    ({"country": "Turkey"}, "country"),
    ({"country": "XX"}, "country"),
    ({"country": 90}, "country"),
    ({"online_url": "ftp://files.example.org"}, "online_url"),
    ({"online_url": "javascript:alert(1)"}, "online_url"),
    ({"online_url": "https://"}, "online_url"),
    ({"online_url": "https://meet.example.org/" + "a" * 500}, "online_url"),
    ({"venue": "x" * 201}, "venue"),
    ({"address": "x" * 501}, "address"),
    ({"city": "x" * 101}, "city"),
    ({"description": "x" * 20_001}, "description"),
    ({"is_public": "perhaps"}, "is_public"),
    ({"host_organisation_id": 0}, "host_organisation_id"),
    ({"host_organisation_id": "MBB"}, "host_organisation_id"),
    ({"host_organisation_id": 999_999}, "host_organisation_id"),
    ({"colour": "red"}, "colour"),
]


def test_create_names_the_bad_field(api):
    # one table, one client: each case is a request, not a test with its own user and tables
    client = api("organiser")
    wrong = []
    for overrides, field in CREATE_CASES:
        resp = client.post("/api/v1/events", json=new_event(**overrides))
        if resp.status_code != 422 or field not in resp.json["error"]["fields"]:
            wrong.append((overrides, resp.status_code, resp.get_data(as_text=True)[:200]))
    assert wrong == []
    assert client.get("/api/v1/events").json["total"] == 0


@pytest.mark.parametrize("missing", ["title", "kind", "level", "starts_at", "ends_at"])
def test_create_requires_fields(api, missing):
    body = new_event()
    del body[missing]
    resp = api("organiser").post("/api/v1/events", json=body)
    assert resp.status_code == 422 and missing in resp.json["error"]["fields"]


def test_blank_optional_fields_become_empty(api):
    resp = api("organiser").post(
        "/api/v1/events",
        json=new_event(venue="  ", country="", online_url="", description=None, capacity=None),
    )
    assert resp.status_code == 201, resp.json
    assert resp.json["venue"] is None and resp.json["country"] is None
    assert resp.json["description"] == ""


def test_country_is_upper_cased(api):
    resp = api("organiser").post("/api/v1/events", json=new_event(country="se"))
    assert resp.status_code == 201 and resp.json["country"] == "SE"


@pytest.mark.parametrize(
    ("data", "headers", "status", "code"),
    [
        ("{not json", {"Content-Type": "application/json"}, 400, "malformed_json"),
        ('{"title": "x",}', {"Content-Type": "application/json"}, 400, "malformed_json"),
        (
            "title=x",
            {"Content-Type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        ("[]", {"Content-Type": "application/json"}, 422, "validation_error"),
        ('"event"', {"Content-Type": "application/json"}, 422, "validation_error"),
        ("null", {"Content-Type": "application/json"}, 400, "malformed_json"),
    ],
)
def test_malformed_bodies(api, data, headers, status, code):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event()).json
    for method, path in (("POST", "/api/v1/events"), ("PATCH", f"/api/v1/events/{event['id']}")):
        resp = client.open(method, path, data=data, headers=headers)
        assert resp.status_code == status, (method, resp.get_data(as_text=True))
        assert resp.json["error"]["code"] == code


PATCH_CASES = [
    ({"status": "archived"}, "status"),
    ({"kind": "party"}, "kind"),
    ({"ends_at": "2031-05-14T08:00"}, "ends_at"),
    ({"starts_at": "2031-05-14T18:00"}, "ends_at"),
    ({"rsvp_deadline": "2031-06-01T00:00"}, "rsvp_deadline"),
    ({"ends_at": "2031-05-14T12:00", "rsvp_deadline": "2031-05-14T13:00"}, "rsvp_deadline"),
    ({"capacity": "lots"}, "capacity"),
    ({"online_url": "mailto:someone@example.org"}, "online_url"),
    ({"sequence": 7}, "sequence"),
    ({"organiser_id": 1}, "organiser_id"),
    ({"id": 3}, "id"),
]


def test_patch_names_the_bad_field(api):
    client = api("organiser")
    event = client.post("/api/v1/events", json=new_event()).json
    wrong = []
    for body, field in PATCH_CASES:
        resp = client.patch(f"/api/v1/events/{event['id']}", json=body)
        if resp.status_code != 422 or field not in resp.json["error"]["fields"]:
            wrong.append((body, resp.status_code, resp.get_data(as_text=True)[:200]))
    assert wrong == []
    assert client.get(f"/api/v1/events/{event['id']}").json == event  # nothing changed


def test_writes_need_an_editor(api):
    event = api("organiser").post("/api/v1/events", json=new_event()).json
    for role in ("staff", "coordinator"):
        client = api(role)
        assert client.post("/api/v1/events", json=new_event()).status_code == 403
        assert client.patch(f"/api/v1/events/{event['id']}", json={}).status_code == 403
        assert client.post(f"/api/v1/events/{event['id']}/cancel").status_code == 403
        assert client.get(f"/api/v1/events/{event['id']}").status_code == 200


def test_session_callers_need_the_csrf_header(client, auth):
    auth.login("organiser")
    resp = client.post("/api/v1/events", json=new_event())
    assert resp.status_code == 401 and resp.json["error"]["code"] == "csrf"
