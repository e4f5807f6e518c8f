"""Administration: users in the browser and on the command line, one-time account links."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (
        account,
        api,
        cli,
        notifications,  # noqa: F401 - registers the account email renderers
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
