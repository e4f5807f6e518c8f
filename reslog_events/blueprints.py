"""Wires the features into the app: blueprints, CLI commands, error pages, headers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401 - the whole schema, for Alembic
    from .admin import account as admin_account
    from .admin import api as admin_api
    from .admin import views as admin_views
    from .audit import views as audit_views
    from .auth import cli as auth_cli
    from .auth import views as auth_views
    from .certificates import views as certificate_views
    from .checkin import api as checkin_api
    from .checkin import views as checkin_views
    from .core import errors, inputs, openapi, routing, web
    from .demo import cli as demo_cli
    from .directory import api as directory_api
    from .directory import views as directory_views
    from .events import api as events_api
    from .events import views as events_views
    from .invitations import api as invitations_api
    from .invitations import views as invitations_views
    from .mail import outbox
    from .mail import views as mail_views
    from .mail import webhooks as mail_webhooks
    from .messages import views as messages_views
    from .privacy import api as privacy_api
    from .privacy import views as privacy_views
    from .programme import api as programme_api
    from .programme import views as programme_views
    from .reports import api as reports_api
    from .reports import views as reports_views
    from .rsvp import views as rsvp_views
    from .teams import api as teams_api
    from .teams import views as teams_views

    routing.init_app(app)  # before the rules that use its converters
    inputs.init_app(app)
    for module in (
        web,
        auth_views,
        openapi,
        directory_api,
        directory_views,
        events_api,
        events_views,
        invitations_api,
        invitations_views,
        rsvp_views,
        certificate_views,
        checkin_api,
        checkin_views,
        reports_api,
        reports_views,
        mail_webhooks,
        mail_views,
        messages_views,
        programme_api,
        programme_views,
        privacy_api,
        privacy_views,
        admin_views,
        admin_account,
        admin_api,
        audit_views,
        teams_api,
        teams_views,
    ):
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):
            module.init_app(app)
    errors.init_app(app)
    outbox.init_app(app)
    auth_cli.init_app(app)
    demo_cli.init_app(app)
