"""Events: their pages and API, publication, capacity and visibility."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from . import api, change_notice, views, visibility

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(change_notice.bp)
    # once per process: a changed user, event or team ends the trust in visibility checks
    if not sa.event.contains(Session, "after_flush", visibility.forget_on_change):
        sa.event.listen(Session, "after_flush", visibility.forget_on_change)
