"""Found by the PostgreSQL drill (bench/drills.py postgres_restart, docs/reliability.md): a
logged-in organiser's page whose query failed as the server restarted answered 500, not 503.
The 503 handler rolled back (which expires the user), then the error page's navigation asked
who the user was, from the database that was gone.

The outage is played by failing every statement from a chosen one on (a server restart seen
from one request: the connection breaks and no new one can be made)."""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from reslog_events.extensions import db


class ServerGone(Exception):
    """What the driver raises (psycopg.OperationalError) when the server restarts."""


@contextlib.contextmanager
def database_goes_away(at: str = ""):
    """Every statement fails from the first one containing `at` ("" : from the first one)."""
    state = {"gone": False}

    def fail(conn, cursor, statement, parameters, context, executemany):
        if at in statement:
            state["gone"] = True
        if state["gone"]:
            raise OperationalError(
                statement, parameters, ServerGone("server closed the connection")
            )

    engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield state
    finally:
        event.remove(engine, "before_cursor_execute", fail)
        db.session.rollback()


@pytest.fixture
def organiser_page(auth, create_event, create_invitation):
    auth.login("organiser")
    event = create_event()
    create_invitation(event=event)
    return f"/events/{event.id}/answers"


def test_a_page_answers_503_when_the_database_goes_away_under_a_logged_in_user(
    client, organiser_page
):
    assert client.get(organiser_page).status_code == 200
    with database_goes_away(at="invitations") as outage:
        resp = client.get(organiser_page)
    assert outage["gone"]
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "5"
    body = resp.get_data(as_text=True)
    assert "503" in body
    assert 'action="/logout"' not in body  # shown as to a visitor: no user to load
    # the server is back: the same page, the same session
    again = client.get(organiser_page)
    assert again.status_code == 200
    assert 'action="/logout"' in again.get_data(as_text=True)


def test_another_error_page_renders_without_the_database(client, organiser_page):
    with database_goes_away():
        resp = client.get("/no-such-page")
    assert resp.status_code == 404  # the page, as to a visitor: the user cannot be loaded
    assert 'action="/logout"' not in resp.get_data(as_text=True)


def test_the_api_answers_503_json_with_retry_after(api, create_event):
    organiser = api("organiser")
    path = f"/api/v1/events/{create_event().id}/invitations"
    with database_goes_away():
        resp = organiser.get(path)
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "5"
    assert resp.json["error"]["code"] == "unavailable"


def test_the_invitees_page_answers_503(client, create_invitation):
    page = f"/rsvp/{create_invitation().rsvp_token}"
    with database_goes_away():
        resp = client.get(page)
    assert resp.status_code == 503
    # (the rate limiter's headers round the 5 s down when they add their own)
    assert int(resp.headers["Retry-After"]) in (4, 5)


def test_a_context_ends_cleanly_when_its_connection_was_terminated(app):
    """The server restarted after the page was made: the rollback that ends the request's
    session fails. That used to escape the teardown (gunicorn then answered 500 for a page
    that was ready)."""

    def terminated(conn):
        raise OperationalError("ROLLBACK", {}, ServerGone("terminating connection"))

    engine = db.engine
    event.listen(engine, "rollback", terminated)
    try:
        with app.app_context():  # a request's or a worker message's own context
            assert db.session.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        event.remove(engine, "rollback", terminated)
    assert db.session.execute(sa.text("SELECT 1")).scalar() == 1  # the next one works
