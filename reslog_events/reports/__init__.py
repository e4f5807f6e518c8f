"""Attendance reports: the table, report runs compiled by workers, monthly summaries."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (
        api,
        notifications,  # noqa: F401 - registers the report email renderers
        views,
    )

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
