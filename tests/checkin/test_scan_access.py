"""POST /api/v1/events/<id>/checkins: who may scan (the door roles, not coordinators), without a
token, and from a logged-in page (the CSRF header)."""

from __future__ import annotations

import pytest

from tests.checkin.door_records import checkins, logs


@pytest.mark.parametrize("role", ["staff", "organiser", "admin"])
def test_door_roles_may_check_in(door, event, invitee, role):
    assert door(event, role).scan(invitee(event).checkin_code).status_code == 201


def test_coordinators_may_not_check_in(door, event, invitee):
    guest = invitee(event)
    resp = door(event, "coordinator").scan(guest.checkin_code)
    assert resp.status_code == 403 and resp.json["error"]["code"] == "forbidden"
    assert checkins() == [] and logs() == []


def test_no_token_is_401(client, event, invitee):
    guest = invitee(event)
    resp = client.post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": guest.checkin_code, "gate": "A", "nonce": "scan-0005-abcdef"},
    )
    assert resp.status_code == 401
    assert checkins() == []


def test_logged_in_page_session_needs_the_csrf_header(client, auth, event, invitee):
    from tests.support.forms import csrf_token

    guest = invitee(event)
    auth.login("staff")
    url = f"/api/v1/events/{event.id}/checkins"
    body = {"code": guest.checkin_code, "gate": "A", "nonce": "scan-0006-abcdef"}
    refused = client.post(url, json=body)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "csrf"
    token = csrf_token(client, "/login")
    resp = client.post(url, json=body, headers={"X-CSRFToken": token})
    assert resp.status_code == 201 and resp.json["result"] == "ok"
    [log] = logs()
    assert log.user_id == auth.user.id
