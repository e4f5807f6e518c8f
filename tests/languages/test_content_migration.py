"""Migration 0015 (venue notes, agenda session titles per language) on a database holding an
event and a session: up keeps them and adds the columns, down gives them back without; on SQLite
the reports' triggers, dropped for the batch rebuild, are all there afterwards."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from tests.conftest import _make_database

TITLE, SESSION = "Göç ve Kent Forumu — Şişli", "Sarıçam ve Reyhanlı deneyimi"


@pytest.fixture
def fresh_app(tmp_path_factory):
    from flask_migrate import upgrade

    from reslog_events import create_app

    url, drop = _make_database(os.environ.get("TEST_DATABASE_URL"), tmp_path_factory)
    instance = tmp_path_factory.mktemp("migration-instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_BACKEND": "file",
            "MAIL_OUTBOX_DIR": str(instance / "outbox"),
            "EMBEDDED_WORKER": False,
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        upgrade(revision="0014")
        yield app
        from reslog_events.extensions import db

        db.session.remove()
        db.engine.dispose()
    drop()


def _triggers(conn) -> set[str]:
    if conn.dialect.name != "sqlite":
        return set()
    return set(conn.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))


def _columns(conn, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(conn).get_columns(table)}


def test_upgrade_and_downgrade_keep_events_and_sessions(fresh_app):
    from flask_migrate import downgrade, upgrade

    from reslog_events.extensions import db

    with db.engine.begin() as conn:
        before = _triggers(conn)
        event_id = conn.execute(
            sa.text(
                "INSERT INTO events (title, kind, level, status, starts_at, ends_at, timezone,"
                " languages, description, translations, is_public, sequence, created_at,"
                " updated_at) VALUES (:title, 'forum', 'regional', 'draft',"
                " '2031-03-04 07:00:00', '2031-03-04 12:00:00', 'Europe/Istanbul', '[]', '',"
                " '{}', false, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"title": TITLE},
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO agenda_sessions (uid, event_id, title, description, starts_at,"
                " ends_at, interpretation, position, sequence, created_at, updated_at) VALUES"
                " ('abc', :event_id, :title, '', '2031-03-04 07:30:00', '2031-03-04 08:30:00',"
                " '[]', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"event_id": event_id, "title": SESSION},
        )
    if db.engine.dialect.name == "sqlite":
        assert before, "the reports' triggers are expected on SQLite"

    upgrade(revision="0015")
    with db.engine.begin() as conn:
        assert _triggers(conn) == before
        assert conn.execute(sa.text("SELECT title, venue_notes FROM events")).one() == (
            TITLE,
            None,
        )
        row = conn.execute(sa.text("SELECT title, translations FROM agenda_sessions")).one()
        assert row[0] == SESSION and row[1] in ({}, "{}")
        conn.execute(sa.text("UPDATE events SET venue_notes = 'Giriş bahçeden, 2. kat'"))

    downgrade(revision="0014")
    with db.engine.connect() as conn:
        assert _triggers(conn) == before
        assert "venue_notes" not in _columns(conn, "events")
        assert "translations" not in _columns(conn, "agenda_sessions")
        assert conn.scalar(sa.text("SELECT title FROM agenda_sessions")) == SESSION
        assert conn.scalar(sa.text("SELECT title FROM events")) == TITLE
