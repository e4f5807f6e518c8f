"""Pooled connections whose server side went away (a PostgreSQL restart, an idle timeout) on a
real PostgreSQL: a connection idle for a while is tested before use and replaced; one that died
a moment after use fails its request with a 503 (the client retries), and the pool then
replaces every older connection, so that the next request is answered. The server's side is
ended with pg_terminate_backend, as a restart ends it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from reslog_events import extensions
from reslog_events.extensions import db

pytestmark = pytest.mark.postgres_only


def terminate_the_apps_connections(database_url: str) -> int:
    """End every server process of the test database except the one that asks."""
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        ended = conn.scalar(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    engine.dispose()
    return ended


@pytest.fixture
def stats(api, create_event):
    staff = api("staff")
    path = f"/api/v1/events/{create_event().id}/checkins/stats"
    assert staff.get(path).status_code == 200  # the pool holds a live connection now
    db.session.remove()  # the test's own session gives its connection back too
    yield lambda: staff.get(path)
    db.session.remove()
    db.engine.dispose()  # no connection the test ended is left for the next one


def test_a_connection_that_died_while_idle_is_replaced_before_use(stats, database_url, monkeypatch):
    monkeypatch.setattr(extensions, "PING_IDLE_SECONDS", 0.0)  # every connection is "idle"
    assert terminate_the_apps_connections(database_url) >= 1
    resp = stats()
    assert resp.status_code == 200, resp.json


def test_a_connection_that_died_just_after_use_fails_one_request_then_the_pool_is_renewed(
    stats, database_url, monkeypatch
):
    monkeypatch.setattr(extensions, "PING_IDLE_SECONDS", 3600.0)  # nothing is tested first
    assert terminate_the_apps_connections(database_url) >= 1
    failed = stats()
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "5"
    assert failed.json["error"]["code"] == "unavailable"
    db.session.remove()
    again = stats()
    assert again.status_code == 200, again.json
