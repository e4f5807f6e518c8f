"""`flask demo`: a realistic, idempotent demo data set."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import cli

    cli.init_app(app)
