"""Migration 0015 (venue notes, agenda session titles per language) on a database holding an
event and a session: up keeps them and adds the columns, down gives them back without; on SQLite
the reports' triggers, dropped for the batch rebuild, are all there afterwards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.migrations import app_at_revision

TITLE, SESSION = "Göç ve Kent Forumu — Şişli", "Sarıçam ve Reyhanlı deneyimi"


@pytest.fixture
def fresh_app(tmp_path_factory):
    with app_at_revision(tmp_path_factory, "0014") as app:
        yield app


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
