"""Certificates of attendance: the PDF for the invitee, the public verification page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (
        mailing,  # noqa: F401 - registers the certificate email's renderer
        views,
    )

    app.register_blueprint(views.bp)
    # for the RSVP page: whether to link the certificate
    app.jinja_env.globals["certificate_available"] = views.certificate_available
