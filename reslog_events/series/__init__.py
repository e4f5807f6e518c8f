"""Copies and series: an event copied to another day, and recurring series (a monthly
roundtable) of draft copies that share a `series_id`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import api, views

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
