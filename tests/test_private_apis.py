"""The few private interfaces of libraries that the app relies on (fast paths named in
docs/benchmarks.md, and the error page's visitor). An upgrade that moves one fails here, not
silently at the door or on a database outage."""

from __future__ import annotations

import inspect

import sqlalchemy as sa
from flask import g
from flask_login import current_user


def test_the_limiter_hook_is_replaced_where_no_limit_applies(app):
    from reslog_events.extensions import limiter

    hooks = app.before_request_funcs.get(None, [])
    assert callable(getattr(limiter, "_check_request_limit", None))
    assert limiter._check_request_limit not in hooks  # swapped for the blueprint-aware one
    assert any(getattr(hook, "__name__", "") == "check_request_limit" for hook in hooks)


def test_sqlalchemy_wraps_driver_errors_through_the_method_the_door_calls():
    method = sa.engine.Connection._handle_dbapi_exception
    names = list(inspect.signature(method).parameters)
    assert names[:6] == ["self", "e", "statement", "parameters", "cursor", "context"]


def test_flask_login_reads_the_request_user_from_g(app):
    visitor = object()
    with app.test_request_context("/"):
        g._login_user = visitor
        assert current_user._get_current_object() is visitor
