"""Fixtures in the flaskr style: `app`, `client`, `runner`, `auth`, and factories that return
callables. The schema is built once per run by the migrations; each test starts from empty tables.

Run against PostgreSQL with TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/postgres
(a fresh database is created beside it and dropped afterwards). In CI (CI=true) a test that needs
a missing service or browser fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from tests.support import factories, two_unions
from tests.support.services import require

pytest_plugins = ["tests.support.browser", "tests.support.smtp", "tests.support.worker"]


def _make_database(base_url: str | None, tmp_path_factory) -> tuple[str, callable]:
    if not base_url or base_url.startswith("sqlite"):
        path = tmp_path_factory.mktemp("db") / "test.sqlite"
        return f"sqlite:///{path}", lambda: None
    url = sa.engine.make_url(base_url)
    name = f"reslog_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # Tests need no durability; commits return without waiting for the WAL flush.
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url, drop = _make_database(os.environ.get("TEST_DATABASE_URL"), tmp_path_factory)
    yield url
    drop()


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    from reslog_events import create_app

    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_BACKEND": "file",
            "MAIL_OUTBOX_DIR": str(instance / "outbox"),
            "DOCUMENTS_DIR": str(instance / "documents"),
            "PUBLIC_BASE_URL": "http://rsvp.test",
            "EMBEDDED_WORKER": False,
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
            "DEFAULT_LANGUAGE": "en",
        }
    )
    with app.app_context():
        upgrade()
        from workers.broker import bind  # the runner takes this app's broker

        bind(app)
    app.test_client_class = RequestIsolatedClient
    return app


class RequestIsolatedClient(FlaskClient):
    """The test body holds one app context for the whole test (so that it shares the session);
    `g` is emptied around each request so that nothing request-scoped (the logged-in user, the
    locale, the CSRF token) leaks from one request into the next."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            if has_app_context():
                g.__dict__.clear()


def _empty_tables(app) -> None:
    from reslog_events.extensions import db

    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # DELETE, not TRUNCATE: on nearly empty tables TRUNCATE costs ~0.7 s a test
                # (new files for every table), DELETE ~10 ms.
                conn.exec_driver_sql("; ".join(f'DELETE FROM "{t.name}"' for t in tables))
            else:
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture
def app(_app):
    from reslog_events.extensions import limiter

    outbox = Path(_app.config["MAIL_OUTBOX_DIR"])
    saved = dict(_app.config)
    with _app.app_context():
        yield _app
    _app.config.clear()
    _app.config.update(saved)
    # a test may patch templates or translations: the next one renders afresh
    _app.extensions.pop("shared_email_renders", None)
    _empty_tables(_app)
    limiter.reset()
    shutil.rmtree(outbox, ignore_errors=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        require(False, f"Redis at {url} is not reachable ({exc})")
    return url


def pytest_collection_modifyitems(config, items):
    # Concurrency tests need PostgreSQL's row locks; they run in the PostgreSQL pass only.
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        return
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres_only") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


# Factories: fixtures returning callables (Indico style).
create_user = pytest.fixture(factories.create_user)
create_organisation = pytest.fixture(factories.create_organisation)
create_contact = pytest.fixture(factories.create_contact)
create_event = pytest.fixture(factories.create_event)
create_invitation = pytest.fixture(factories.create_invitation)
api = pytest.fixture(factories.api)
auth = pytest.fixture(factories.auth)
world = pytest.fixture(two_unions.world)
