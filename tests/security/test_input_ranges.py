"""Numbers and dates beyond what the database and the calendar can hold are refused as bad input
(4xx in the contract's shape, a 400 page) by the API toolkit's shared types, never a 500."""

from __future__ import annotations

import pytest

FAR_DATES = ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"]


def test_a_huge_from_id_on_the_progress_api_is_a_422(api, create_event):
    event = create_event()
    resp = api("organiser").get(
        f"/api/v1/events/{event.id}/invitations/progress",
        query_string={"from_id": "99999999999999999999"},
    )
    assert resp.status_code == 422
    assert set(resp.json["error"]["fields"]) == {"from_id"}


@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("path", ["/api/v1/reports/attendance", "/api/v1/events"])
@pytest.mark.parametrize("name", ["from", "to"])
def test_far_dates_in_api_queries_are_422(api, path, name, value):
    resp = api("coordinator").get(path, query_string={name: value})
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.json["error"]["code"] == "validation_error"
    assert name in resp.json["error"]["fields"]


@pytest.mark.parametrize("value", ["1900-01-01", "2200-12-31"])
def test_the_edges_of_the_range_are_accepted(api, value):
    for path in ("/api/v1/reports/attendance", "/api/v1/events"):
        assert api("coordinator").get(path, query_string={"from": value}).status_code == 200


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00"]
)
def test_a_far_scanned_at_is_a_422(api, create_invitation, value):
    invitation = create_invitation(status="accepted")
    resp = api("staff").post(
        f"/api/v1/events/{invitation.invitation.event_id}/checkins",
        json={"code": invitation.checkin_code, "scanned_at": value},
    )
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert "scanned_at" in resp.json["error"]["fields"]


@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_a_far_date_on_the_calendar_is_a_400_page(client, auth, view, value):
    auth.login("staff")
    resp = client.get(f"/calendar?view={view}&date={value}")
    assert resp.status_code == 400 and "text/html" in resp.content_type


@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("name", ["from", "to"])
def test_a_far_date_on_the_reports_page_is_shown_as_its_error(client, auth, name, value):
    """The dashboard keeps its table and marks the filter it could not use (as for any
    filter that does not parse)."""
    auth.login("coordinator")
    resp = client.get(f"/reports?group_by=month&{name}={value}")
    assert resp.status_code == 200
    assert "between 1900 and 2200" in resp.get_data(as_text=True)


@pytest.mark.parametrize("timestamp", ["²³", "١٧٠٠٠٠٠٠٠٠", "9" * 5000, "-1", "1.5", " 17"])
def test_the_webhook_reads_its_timestamp_strictly(app, client, timestamp):
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = base64.b64encode(der).decode()
    resp = client.post(
        "/api/v1/webhooks/sendgrid",
        data=b"[]",
        headers={
            "Content-Type": "application/json",
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(b"x" * 64).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
        },
    )
    assert resp.status_code == 401
    assert resp.json["error"] == {
        "code": "invalid_signature",
        "message": "The timestamp is not valid.",
        "fields": {},
    }


@pytest.mark.parametrize("zero", [0x660, 0xFF10])  # Arabic-Indic and full-width digits
def test_ids_in_paths_are_ascii_digits(api, client, auth, create_event, zero):
    """int() reads any script's digits: the event's id written in other digits is not its
    address (a 404), so an id in a path has one spelling."""
    event = create_event()
    other = "".join(chr(zero + int(c)) for c in str(event.id))
    assert api("organiser").get(f"/api/v1/events/{event.id}").status_code == 200
    assert api("organiser").get(f"/api/v1/events/{other}").status_code == 404
    auth.login("organiser")
    assert client.get(f"/events/{other}").status_code == 404
