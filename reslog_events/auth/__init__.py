"""Accounts: login, sessions, API tokens, the `flask users` commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from . import cli, operations, views

    app.register_blueprint(views.bp)
    app.before_request(views.end_idle_session)
    cli.init_app(app)
    # once per process: a changed user or token ends the trust in verified tokens
    if not sa.event.contains(Session, "after_flush", operations.forget_on_change):
        sa.event.listen(Session, "after_flush", operations.forget_on_change)
