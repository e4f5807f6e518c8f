"""RESLOG Events: events, invitations, RSVP, check-in and attendance reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` (`templates`, `static`, `migrations`): inside the package in an
    installed wheel (setup.py puts it there), at the top of the checkout otherwise."""
    installed = PACKAGE / "_data" / name
    return installed if installed.is_dir() else PACKAGE.parent / name


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(data_dir("templates")),
        static_folder=str(data_dir("static")),
    )
    from . import extensions, features
    from .config import load_config

    app.config.update(load_config(Path(app.instance_path)))
    app.config.update(
        MIGRATIONS_DIR=data_dir("migrations"),
        TRANSLATIONS_DIR=PACKAGE / "translations",
    )
    if test_config:
        app.config.update(test_config)
    extensions.init_app(app)
    features.init_app(app)
    return app
