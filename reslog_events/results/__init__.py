"""The programme's results: indicators against the targets administrators set per period."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import api, views

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
