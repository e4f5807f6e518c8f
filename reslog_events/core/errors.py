"""The one error convention, and the error answers: JSON in the contract's shape under /api/,
pages elsewhere. Never a bare 500.

An operation that refuses a write raises `DomainError` (or a feature's subclass of it) with the
HTTP status, a machine-readable code, a message for people and a message per field. Nothing
translates it on the way: `@endpoint` answers it as JSON, and the handler below answers it as JSON
under /api/ and as an error page elsewhere. A page that can do better (show the form again with
the field messages) catches it itself.
"""

from __future__ import annotations

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db, login_manager


class DomainError(Exception):
    """A refusal: answered as `{"error": {"code", "message", "fields"}}` with a 4xx `status`."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}

    def response(self) -> Response:
        body = {"error": {"code": self.code, "message": self.message, "fields": self.fields}}
        resp = jsonify(body)
        resp.status_code = self.status
        if self.status == 401:
            resp.headers["WWW-Authenticate"] = 'Bearer realm="reslog-events"'
        return resp


def _wants_json() -> bool:
    from .api import API_PREFIX

    return request.path.startswith(API_PREFIX) or request.path.startswith("/webhooks/")


def _json_error(status: int, code: str, message: str):
    resp = jsonify({"error": {"code": code, "message": message, "fields": {}}})
    resp.status_code = status
    return resp


def _as_visitor() -> None:
    """Render the rest of this request as to a visitor: the page's navigation asks who the user
    is, and the user (expired by the rollback) would be loaded from a database that is gone."""
    g._login_user = login_manager.anonymous_user()


def _error_page(code: int, message: str) -> str:
    """The error page, which must render without the database when it is unavailable."""
    try:
        return render_template("errors/error.html", code=code, message=message)
    except OperationalError:
        db.session.rollback()
        _as_visitor()
        return render_template("errors/error.html", code=code, message=message)


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if _wants_json():
            return exc.response()
        return _error_page(exc.status, exc.message), exc.status

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if _wants_json():
            return _json_error(400, "csrf", exc.description)
        message = _("The form expired or was sent from elsewhere. Reload the page and try again.")
        return _error_page(400, message), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        # The database went away (restart, failover): a clean 503 the client can retry. Nothing
        # from here on may need the database, not even the page's language (the user's).
        db.session.rollback()
        _as_visitor()
        app.logger.warning("database unavailable: %s", exc.__class__.__name__)
        if _wants_json():
            resp = _json_error(503, "unavailable", "The service is briefly unavailable. Retry.")
        else:
            message = _("The service is briefly unavailable. Please try again in a moment.")
            resp = app.make_response((_error_page(503, message), 503))
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
        return _error_page(exc.code or 500, exc.description), exc.code or 500

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):
        db.session.rollback()
        if _wants_json():
            return _json_error(500, "internal_error", "Something went wrong on our side.")
        message = _("Something went wrong on our side. The team has been told.")
        return _error_page(500, message), 500
