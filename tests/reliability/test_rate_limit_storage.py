"""Found by the Redis drill (bench/drills.py redis_restart, docs/reliability.md): while Redis was
down, the rate limiter's storage raised on every limited request, so the RSVP page and the
login answered 500. Now each process limits in memory until Redis answers again."""

from __future__ import annotations

import pytest
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

from reslog_events.extensions import limiter
from tests.invitations.processes import free_port
from tests.support.forms import post_form


@pytest.fixture
def redis_down(app, monkeypatch):
    """The limiter's storage pointed at a Redis address where nothing listens (what a restart
    or a failover looks like from the web process: connection refused)."""
    storage = RedisStorage(f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setattr(limiter, "_storage", storage)
    monkeypatch.setattr(limiter, "_limiter", FixedWindowRateLimiter(storage))
    monkeypatch.setattr(limiter, "_storage_dead", False)
    yield storage
    limiter._fallback_storage.reset()  # the in-memory counts of the outage
    app.extensions["rsvp_guessing"].reset()  # (the RSVP links' own, rsvp.guessing)


def test_the_configuration_falls_back_instead_of_failing(app):
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    assert app.config["RATELIMIT_SWALLOW_ERRORS"] is True


def test_rsvp_page_works_and_guessing_is_still_limited_while_redis_is_down(
    app, client, create_invitation, redis_down
):
    assert not redis_down.check()
    invitation = create_invitation()
    page = f"/rsvp/{invitation.rsvp_token}"
    for _ in range(12):  # the invitee's own visits do not count toward the limit
        assert client.get(page).status_code == 200
    # the per-address guessing limit (10 misses a minute) holds in memory meanwhile
    answers = [client.get(f"/rsvp/guess{n:012d}abcdefghij").status_code for n in range(11)]
    assert answers == [404] * 10 + [429]


def test_login_works_while_redis_is_down(app, client, create_user, redis_down):
    create_user(email="organiser@example.org", password="a-long-password-1")
    wrong = {"email": "organiser@example.org", "password": "wrong-password"}
    assert post_form(client, "/login", wrong).status_code == 401
    right = {"email": "organiser@example.org", "password": "a-long-password-1"}
    assert post_form(client, "/login", right).status_code == 302
