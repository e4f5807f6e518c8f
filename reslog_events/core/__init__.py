"""Pieces every feature uses: column types, the API toolkit, tokens, Turkish text handling."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """URL converters (before any rule is added), input checks, security headers, the home
    page, the OpenAPI document and the error answers."""
    from . import errors, inputs, localised, openapi, routing, web

    routing.init_app(app)
    inputs.init_app(app)
    app.register_blueprint(web.bp)
    web.init_app(app)
    app.register_blueprint(openapi.bp)
    errors.init_app(app)
    localised.init_app(app)
