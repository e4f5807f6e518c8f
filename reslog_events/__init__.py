"""RESLOG Events: events, invitations, RSVP, check-in and attendance reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from . import blueprints, extensions
    from .config import load_config

    app.config.update(load_config(Path(app.instance_path)))
    app.config.update(
        MIGRATIONS_DIR=ROOT / "migrations",
        TRANSLATIONS_DIR=Path(__file__).parent / "translations",
    )
    if test_config:
        app.config.update(test_config)
    extensions.init_app(app)
    blueprints.init_app(app)
    return app
