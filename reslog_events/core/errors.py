"""Error answers: JSON in the contract's shape under /api/, pages elsewhere. Never a bare 500."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from .api import API_PREFIX, ApiError


def _wants_json() -> bool:
    return request.path.startswith(API_PREFIX) or request.path.startswith("/webhooks/")


def _json_error(status: int, code: str, message: str):
    resp = jsonify({"error": {"code": code, "message": message, "fields": {}}})
    resp.status_code = status
    return resp


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        db.session.rollback()
        return exc.response()

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if _wants_json():
            return _json_error(400, "csrf", exc.description)
        return render_template(
            "errors/error.html",
            code=400,
            message=_(
                "The form expired or was sent from elsewhere. Reload the page and try again."
            ),
        ), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        # The database went away (restart, failover): a clean 503 the client can retry.
        db.session.rollback()
        app.logger.warning("database unavailable: %s", exc.__class__.__name__)
        if _wants_json():
            resp = _json_error(503, "unavailable", "The service is briefly unavailable. Retry.")
        else:
            resp = app.make_response(
                (
                    render_template(
                        "errors/error.html",
                        code=503,
                        message=_(
                            "The service is briefly unavailable. Please try again in a moment."
                        ),
                    ),
                    503,
                )
            )
        resp.headers["Retry-After"] = "5"
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            resp = _json_error(exc.code or 500, code, exc.description or exc.name)
            if exc.code == 405 and exc.valid_methods:
                resp.headers["Allow"] = ", ".join(exc.valid_methods)
            return resp
        return render_template(
            "errors/error.html", code=exc.code, message=exc.description
        ), exc.code or 500

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):
        db.session.rollback()
        if _wants_json():
            return _json_error(500, "internal_error", "Something went wrong on our side.")
        return render_template(
            "errors/error.html",
            code=500,
            message=_("Something went wrong on our side. The team has been told."),
        ), 500
