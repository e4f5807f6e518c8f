"""Input that no field may hold is refused cleanly (never a 500 on either database)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path", ["/api/v1/contacts?q=%00", "/api/v1/events?q=a%00b", "/api/v1/contacts/1%00"]
)
def test_a_nul_in_the_address_is_a_400_in_json(api, path):
    resp = api("organiser").get(path)
    assert resp.status_code == 400
    assert resp.json["error"]["code"] == "bad_request"


def test_a_nul_in_a_page_address_or_form_is_a_400_page(client, auth):
    auth.login("organiser")
    assert client.get("/contacts?q=%00").status_code == 400
    resp = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert resp.status_code == 400


def test_a_nul_in_json_names_the_field(api):
    resp = api("organiser").post(
        "/api/v1/organisations", json={"name": "a\x00b", "kind": "ngo", "unions": ["X\x00"]}
    )
    assert resp.status_code == 422
    assert set(resp.json["error"]["fields"]) in ({"name"}, {"unions.0"})


def test_deeply_nested_json_is_malformed_not_a_crash(api):
    body = "[" * 100_000 + "]" * 100_000
    resp = api("organiser").post(
        "/api/v1/organisations", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 400 and resp.json["error"]["code"] == "malformed_json"


def test_unpaired_surrogates_are_refused(api):
    resp = api("organiser").post(
        "/api/v1/organisations",
        data='{"name": "\\ud800", "kind": "ngo"}',
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 422 and "name" in resp.json["error"]["fields"]


def test_a_multipart_part_without_a_name_is_no_crash(api):
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="%0A"\r\n\r\nnull\r\n'
        f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n"
        f"--{boundary}--\r\n"
    )
    resp = api("organiser").post(
        "/api/v1/contacts/import",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert resp.status_code == 422


@pytest.mark.parametrize(
    "path", ["/api/v1/events/2147483648", "/api/v1/events/99999999999999999999"]
)
@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_an_id_beyond_the_integer_range_is_a_404(api, path, method):
    resp = api("organiser").open(method, path, json={})
    assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found"


def test_an_id_beyond_the_integer_range_in_a_body_is_a_422(api, create_event):
    event = create_event()
    resp = api("organiser").post(
        f"/api/v1/events/{event.id}/invitations", json={"contact_ids": [2**63]}
    )
    assert resp.status_code == 422 and "contact_ids.0" in resp.json["error"]["fields"]


@pytest.mark.parametrize("value", ["0.0", "1700000000", "2026-1-2", "tomorrow"])
def test_days_are_iso_dates_only(api, value):
    resp = api("coordinator").get("/api/v1/reports/attendance", query_string={"to": value})
    assert resp.status_code == 422 and "to" in resp.json["error"]["fields"]


@pytest.mark.parametrize("value", ["99999999999999999999", "²"])
def test_ids_typed_into_forms_and_queries(api, auth, client, create_event, value):
    """str.isdigit() is true for both; int() failed on one and the database on the other."""
    from tests.support.forms import csrf_token

    event = create_event()
    reports = api("coordinator").get("/api/v1/reports/attendance", query_string={"union": value})
    assert reports.status_code == 422
    auth.login("organiser")
    assert client.get("/reports", query_string={"union": value}).status_code < 500
    progress = client.get(f"/events/{event.id}/invitations/progress?from_id={value}")
    assert progress.status_code == 200
    token = csrf_token(client, f"/events/{event.id}/itinerary")
    sent = client.post(
        f"/events/{event.id}/itinerary/send", data={"member_id": value, "csrf_token": token}
    )
    assert sent.status_code < 500
    assert client.get(f"/events/{event.id}/checkin/log?page={value}").status_code == 200
    assert client.get(f"/programme?page={value}").status_code == 200
