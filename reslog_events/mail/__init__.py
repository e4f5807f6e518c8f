"""Email: the transactional outbox, delivery, renderers, backends and the provider webhook."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf, limiter
    from . import cli, outbox, views, webhooks

    app.register_blueprint(webhooks.bp)
    app.register_blueprint(webhooks.api_bp)
    app.register_blueprint(views.bp)
    # SendGrid signs its requests (no CSRF token) and sends them in bursts
    csrf.exempt(webhooks.bp)
    limiter.exempt(webhooks.bp)
    outbox.init_app(app)
    cli.init_app(app)
