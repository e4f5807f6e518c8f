"""The audit log: who changed what, and its page for administrators."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import views

    app.register_blueprint(views.bp)
