"""The features, in the order `create_app` wires them in (flaskr and Indico style).

Each entry is a package of `reslog_events` whose `init_app(app)` registers everything the feature
brings: its blueprints, CLI commands, signal receivers, email renderers and template globals.
Nothing is registered by importing a module; a feature that is not listed here is not in the app.
"""

from __future__ import annotations

import importlib

from flask import Flask

#: `core` first: its URL converters must be in place before any feature adds a rule
FEATURES = (
    "core",
    "auth",
    "directory",
    "events",
    "invitations",
    "rsvp",
    "substitutes",
    "certificates",
    "checkin",
    "reports",
    "results",
    "mail",
    "messages",
    "documents",
    "feedback",
    "programme",
    "privacy",
    "admin",
    "audit",
    "teams",
    "series",
    "demo",
)


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401 - the whole schema, for Alembic

    for name in FEATURES:
        importlib.import_module(f"{__package__}.{name}").init_app(app)
