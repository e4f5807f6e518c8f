"""Feedback: an event's short survey, sent to those who attended, answered by a personal link,
and its results without names (by gender, role and kind of organisation, small cells hidden to
coordinators) on the event's page, the dashboard and the exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..core.signals import contact_erased
    from . import (
        answer_page,
        api,
        dashboard,
        notifications,  # noqa: F401 - registers the survey email's renderer
        operations,
        views,
    )

    app.register_blueprint(answer_page.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    contact_erased.connect(operations.on_contact_erased, weak=False)
    # for the reports dashboard: the period's feedback block
    app.jinja_env.globals["feedback_block"] = dashboard.feedback_block
