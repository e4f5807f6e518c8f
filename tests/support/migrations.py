"""An app on its own throw-away database (SQLite file, or PostgreSQL beside TEST_DATABASE_URL),
upgraded only to a given revision: for the tests of one migration's upgrade and downgrade."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def app_at_revision(tmp_path_factory, revision: str) -> Iterator:
    from flask_migrate import upgrade

    from reslog_events import create_app
    from tests.conftest import _make_database

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
    try:
        with app.app_context():
            upgrade(revision=revision)
            yield app
            from reslog_events.extensions import db

            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
