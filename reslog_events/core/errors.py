"""The one error convention, and the error answers: JSON in the contract's shape under /api/,
pages elsewhere. Never a bare 500.

An operation that refuses a write raises `DomainError` (or a feature's subclass of it) with the
HTTP status, a machine-readable code, a message for people and a message per field. Nothing
translates it on the way: `@endpoint` answers it as JSON, and the handler below answers it as JSON
under /api/ and as an error page elsewhere. A page that can do better (show the form again with
the field messages) catches it itself.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
    is, and the user (expired by the rollback) would be loaded from a database that is gone.
    Flask-Login keeps the request's user in `g._login_user` (private; held in place by
    tests/test_private_apis.py): logout_user() would also end the session."""
    g._login_user = login_manager.anonymous_user()


#: per status: a title, what happened, and what to do (in the page's language)
_TEXTS = {
    400: (
        _l("Bad request"),
        _l("The page could not understand what was sent."),
        _l("Go back, check what you entered and try again."),
    ),
    403: (
        _l("No access"),
        _l("Your account may not open this page."),
        _l("If you need it for your work, ask an administrator of RESLOG Events for access."),
    ),
    404: (
        _l("Page not found"),
        _l("There is no page at this address, or not any more."),
        _l("Check the address, or start again from the start page."),
    ),
    405: (
        _l("Not possible this way"),
        _l("This page cannot be used like that (for example by reloading a sent form)."),
        _l("Go back and use the page's own buttons and links."),
    ),
    410: (
        _l("No longer available"),
        _l("This page was withdrawn."),
        _l("Ask whoever sent you the link for a new one."),
    ),
    413: (
        _l("Too large"),
        _l("What you sent is larger than the service accepts."),
        _l("Send a smaller file, or split it into several."),
    ),
    429: (
        _l("Too many attempts"),
        _l("Too many requests came from your connection in a short time."),
        _l("Wait a minute, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("Something went wrong on our side. The team has been told."),
        _l("Try again in a few minutes."),
    ),
    503: (
        _l("Briefly unavailable"),
        _l("The service is briefly unavailable."),
        _l("Please try again in a moment."),
    ),
}


def _invitee_contact() -> tuple[str | None, str | None] | None:
    """On an invitee's link: whom to contact (the organiser of the link's event when the link
    was recognised, see `g.error_contact`), else None."""
    if not request.path.startswith("/rsvp/"):
        return None
    contact: Callable[[], tuple[str | None, str | None]] | None = g.get("error_contact")
    if contact is None:
        return (None, None)
    try:
        return contact()
    except OperationalError:
        db.session.rollback()
        return (None, None)


def _render_error(code: int, message: str | None) -> str:
    title, happened, todo = _TEXTS.get(code, _TEXTS[500 if code >= 500 else 400])
    return render_template(
        "errors/error.html",
        code=code,
        title=title,
        message=message or happened,
        todo=todo,
        invitee_contact=_invitee_contact() if code in (400, 403, 404, 410, 429) else None,
    )


def _error_page(code: int, message: str | None = None) -> str:
    """The error page in the page's language, which must render without the database when
    it is unavailable. `message` replaces the status's own "what happened"."""
    try:
        return _render_error(code, message)
    except OperationalError:
        db.session.rollback()
        _as_visitor()
        return _render_error(code, message)


def _own_description(exc: HTTPException) -> str | None:
    """A description the app gave (translated where it was raised); Werkzeug's defaults are
    English only and left out."""
    if exc.description and exc.description != type(exc).description:
        return str(exc.description)
    return None


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
            resp = app.make_response((_error_page(503), 503))
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
        return _error_page(exc.code or 500, _own_description(exc)), exc.code or 500

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):
        db.session.rollback()
        if _wants_json():
            return _json_error(500, "internal_error", "Something went wrong on our side.")
        return _error_page(500), 500
