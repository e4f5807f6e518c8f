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
