"""Flask extensions, created unbound and attached in `create_app` (no app at import time)."""

from __future__ import annotations

import logging

from flask import g, request, session
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
    user's language, the browser's, and the configured default."""
    from flask import current_app

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


def init_app(app) -> None:
    db.init_app(app)
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
