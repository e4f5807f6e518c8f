"""Flask extensions, created unbound and attached in `create_app` (no app at import time)."""

from __future__ import annotations

import logging
import time

import sqlalchemy as sa
from flask import g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so that migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

LANGUAGES = ("tr", "en", "ar", "sv")
RTL_LANGUAGES = frozenset({"ar"})


def select_locale() -> str:
    """`?lang=` wins and is remembered; then a page's own default (an invitee's language), the
    user's language, the browser's, and the configured default. Outside a request (a worker
    rendering without `force_locale`): the configured default."""
    from flask import current_app, has_request_context

    if not has_request_context():
        return current_app.config["DEFAULT_LANGUAGE"]
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if g.get("default_language") in LANGUAGES:
        return g.default_language
    user_language = getattr(current_user, "language", None)
    if getattr(current_user, "is_authenticated", False) and user_language in LANGUAGES:
        return user_language
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["DEFAULT_LANGUAGE"]


def _remove_session(exc: BaseException | None) -> None:
    """End the context's session even when the database went away after the answer was made
    (a server restart terminates the connection; the rollback that closes the session then
    fails). Runs before Flask-SQLAlchemy's own teardown, which finds nothing left to do."""
    from sqlalchemy.exc import DBAPIError

    try:
        db.session.remove()
    except DBAPIError as error:
        db.session.registry.clear()  # the broken connection is invalidated and not reused
        logging.getLogger(__name__).warning("session closed on a lost connection: %s", error.orig)


#: A pooled connection idle for longer than this is tested (the dialect's ping) before use; one
#: handed back a moment ago is not, so that a busy door does not pay a ping per request
#: (pool_pre_ping's cost: docs/benchmarks.md, "Fast paths"). A connection broken under traffic
#: (a server restart) fails its request with a 503 (Retry-After) and makes the pool replace
#: every older connection.
PING_IDLE_SECONDS = 2.0


def _ping_when_idle(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    @sa.event.listens_for(engine, "checkin")
    def _fresh(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _test_if_idle(dbapi_connection, record, proxy) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) <= PING_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure: the pool connects anew
            raise sa.exc.DisconnectionError(str(error)) from error


#: blueprints for which no rate limit is declared: the limiter's per-request work is skipped
_UNLIMITED: set[str] = set()


def never_limit(bp) -> None:
    """Exempt a blueprint from every rate limit, and skip the limiter's work for its requests
    (its views must not carry `@limiter.limit`)."""
    limiter.exempt(bp)
    _UNLIMITED.add(bp.name)


def _skip_limiter_where_unlimited(app) -> None:
    """A fast path of the door (bench/checkin.py, docs/benchmarks.md): Flask-Limiter's
    per-request hook is a private method; tests/test_private_apis.py fails if it moves."""
    hooks = app.before_request_funcs.get(None, [])
    check = limiter._check_request_limit
    if check not in hooks:  # another Flask-Limiter: leave it as it is
        return

    def check_request_limit():
        if request.blueprint not in _UNLIMITED:
            return check()
        return None

    hooks[hooks.index(check)] = check_request_limit


class SessionInterface(SecureCookieSessionInterface):
    """The cookie session, without its signing work for requests that send no session cookie
    and leave the session untouched (API clients with a bearer token)."""

    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if session or session.modified or session.accessed:
            super().save_session(app, session, response)


def init_app(app) -> None:
    from .core import logs

    app.session_interface = SessionInterface()
    logs.init_app(app)  # before the engines are made: they must hide SQL parameters
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            _ping_when_idle(engine)
    app.teardown_appcontext(_remove_session)  # registered after db's: runs first
    migrate.init_app(app, db, directory=str(app.config["MIGRATIONS_DIR"]))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.config["TRANSLATIONS_DIR"]),
    )
    limiter.init_app(app)
    _skip_limiter_where_unlimited(app)

    from . import jobs

    jobs.init_app(app)  # the broker, from REDIS_URL
