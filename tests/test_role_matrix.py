"""Every API endpoint × every role (and no token, a bad token) → the expected status."""

from __future__ import annotations

import re

import pytest

from reslog_events.core.api import REGISTRY
from tests.role_matrix import MATRIX

ROLES = ("admin", "organiser", "staff", "coordinator")


def _path(rule: str) -> str:
    return "/api/v1" + re.sub(r"<(?:\w+:)?\w+>", "999999", rule)


def test_every_endpoint_is_in_the_matrix(app):  # the app registers every blueprint
    declared = {(ep.method, ep.rule) for ep in REGISTRY}
    assert declared - set(MATRIX) == set(), "endpoints missing from tests/role_matrix.py"
    assert set(MATRIX) - declared == set(), "matrix rows for endpoints that do not exist"


@pytest.mark.parametrize(("method", "rule"), sorted(MATRIX), ids=lambda v: str(v))
def test_role_matrix(method, rule, api, client):
    allowed = MATRIX[(method, rule)]
    path = _path(rule)
    kwargs = {} if method == "GET" else {"json": {}}
    if allowed is None:
        resp = client.open(path, method=method, **kwargs)
        assert resp.status_code < 500
        return
    assert api(None).open(method, path, **kwargs).status_code == 401
    bad = api(None).open(method, path, headers={"Authorization": "Bearer rsl_nope"}, **kwargs)
    assert bad.status_code == 401 and bad.json["error"]["code"] == "unauthorized"
    for role in ROLES:
        resp = api(role).open(method, path, **kwargs)
        if role in allowed:
            assert resp.status_code not in (401, 403), (role, resp.json)
            assert resp.status_code < 500, (role, resp.get_data(as_text=True))
        else:
            assert resp.status_code == 403, (role, resp.status_code)
            assert resp.json["error"]["code"] == "forbidden"


# Unions and teams: every endpoint naming an event, called by union-scoped users ---------------

#: view arguments that name an event or a row of one event (events.visibility)
EVENT_KEYS = ("event_id", "invitation_id", "checkin_id", "session_id", "site_id", "member_id")
SCOPED_ROLES = ("organiser", "staff", "coordinator")
EVENT_ENDPOINTS = sorted(
    key for key in MATRIX if any(f"<int:{name}>" in key[1] for name in EVENT_KEYS)
)


def _event_path(rule: str, rows: dict[str, int], user_id: int) -> str:
    """The rule with the ids of one union's rows; `user_id` (of the team routes) the caller's."""
    return "/api/v1" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: str(rows.get(m.group(1), user_id)), rule
    )


def _scope_refused(resp) -> bool:
    """404 for the event itself (another union's event answers like an unknown one)."""
    return resp.status_code == 404 and resp.json["error"]["message"] == "Event not found."


def _call(world, union, role, method, rule, rows_of):
    caller = world.user(union, role)
    path = _event_path(rule, world.rows[rows_of], caller.id)
    kwargs = {} if method == "GET" else {"json": {}}
    resp = world.api(union, role).open(method, path, **kwargs)
    assert resp.status_code < 500, (union, role, path, resp.get_data(as_text=True))
    return resp


def test_every_event_endpoint_is_checked_for_unions(app):
    declared = {(ep.method, ep.rule) for ep in REGISTRY}
    named = {key for key in declared if re.search(r"<int:\w+_id>", key[1])}
    others = {k for k in named if not any(f"<int:{n}>" in k[1] for n in EVENT_KEYS)}
    # ids of rows that belong to no single event: the directory, report runs, targets
    assert {re.search(r"<int:(\w+)>", k[1]).group(1) for k in others} <= {
        "organisation_id",
        "contact_id",
        "run_id",
        "target_id",
    }, others


@pytest.mark.parametrize(("method", "rule"), EVENT_ENDPOINTS, ids=lambda v: str(v))
def test_union_scope_and_teams(method, rule, world):
    allowed = MATRIX[(method, rule)]
    for role in (r for r in SCOPED_ROLES if r in allowed):
        # another union's event: 404, as for an id that does not exist
        resp = _call(world, "MBB", role, method, rule, "ÇBB")
        assert _scope_refused(resp), (role, resp.status_code, resp.json)
        # programme-wide users and their own union's event: not refused
        resp = _call(world, None, role, method, rule, "ÇBB")
        assert not _scope_refused(resp) and resp.status_code != 403, (role, resp.json)
        resp = _call(world, "ÇBB", role, method, rule, "ÇBB")
        assert not _scope_refused(resp) and resp.status_code != 403, (role, resp.json)
        if role == "coordinator":
            continue  # teams are co-organisers and door staff
        # on the other union's event's team: allowed as on their own union's
        world.put_on_team("ÇBB", world.user("MBB", role))
        resp = _call(world, "MBB", role, method, rule, "ÇBB")
        assert not _scope_refused(resp) and resp.status_code != 403, (role, resp.json)
    resp = _call(world, None, "admin", method, rule, "ÇBB")
    assert not _scope_refused(resp), resp.json
