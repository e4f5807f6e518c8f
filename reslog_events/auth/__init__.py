"""Accounts: login, sessions, API tokens, the `flask users` commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import cli, views

    app.register_blueprint(views.bp)
    app.before_request(views.end_idle_session)
    cli.init_app(app)
