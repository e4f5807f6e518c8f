"""Data-protection rights and retention: export everything held about a contact, erase a
contact (the person goes, the counts stay), and purge personal answers some months after an
event. See docs/privacy.md."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import api, cli, views

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    cli.init_app(app)
