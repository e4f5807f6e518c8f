"""Features wire themselves: `create_app` walks `FEATURES`, each package's `init_app` registers
what the feature brings, and every route is declared by a decorator on a blueprint defined in the
module that holds the view."""

from __future__ import annotations

import importlib
import pkgutil

import reslog_events
from reslog_events.features import FEATURES


def _packages() -> set[str]:
    return {
        info.name
        for info in pkgutil.iter_modules(reslog_events.__path__)
        if info.ispkg and info.name != "translations"
    }


def test_every_feature_package_is_listed_and_wires_itself():
    assert set(FEATURES) == _packages()
    assert FEATURES[0] == "core"  # its URL converters come before any rule
    for name in FEATURES:
        package = importlib.import_module(f"reslog_events.{name}")
        assert callable(getattr(package, "init_app", None)), name


def test_every_view_lives_in_the_module_that_defines_its_blueprint(app):
    """One way to declare routes: no URL map in another module, no blueprint shared by modules."""
    misplaced = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        blueprint = app.blueprints[rule.endpoint.rpartition(".")[0]]
        view = app.view_functions[rule.endpoint]
        if view.__module__ != blueprint.import_name:
            misplaced.append((rule.rule, view.__module__, blueprint.import_name))
    assert misplaced == []


def test_every_blueprint_is_registered(app):
    """A blueprint defined but left out of its feature's `init_app` would be a dead page."""
    from flask import Blueprint

    defined = set()
    for info in pkgutil.walk_packages(reslog_events.__path__, "reslog_events."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Blueprint) and value.import_name == info.name:
                defined.add(value.name)
    assert defined <= set(app.blueprints)


def test_one_domain_error_answered_as_json_under_the_api_and_as_a_page_elsewhere(app):
    from reslog_events.core.api import ApiError
    from reslog_events.core.errors import DomainError
    from reslog_events.events.operations import EventConflict, InvalidEvent
    from reslog_events.invitations.operations import InvitationRefused
    from reslog_events.messages.operations import MessageRefused
    from reslog_events.programme.operations import ProgrammeConflict, ProgrammeError
    from reslog_events.teams.operations import TeamError

    assert ApiError is DomainError
    for kind in (EventConflict, InvalidEvent, ProgrammeConflict, ProgrammeError):
        assert issubclass(kind, DomainError)
    for kind in (InvitationRefused, MessageRefused, TeamError):
        assert issubclass(kind, DomainError)

    with app.test_request_context("/api/v1/events/1", headers={"Accept-Language": "en"}):
        resp = app.make_response(app.handle_user_exception(EventConflict("cancelled", "No.")))
        assert resp.status_code == 409
        assert resp.get_json() == {"error": {"code": "cancelled", "message": "No.", "fields": {}}}
        resp = app.make_response(app.handle_user_exception(InvalidEvent({"title": "Too long."})))
        assert resp.status_code == 422
        assert resp.get_json()["error"]["fields"] == {"title": "Too long."}
        assert resp.get_json()["error"]["code"] == "validation_error"

    with app.test_request_context("/events/1/edit", headers={"Accept-Language": "en"}):
        resp = app.make_response(app.handle_user_exception(EventConflict("cancelled", "No.")))
        assert resp.status_code == 409
        assert resp.mimetype == "text/html"
        assert "No." in resp.get_data(as_text=True)


def test_the_languages_are_defined_once():
    """`extensions.LANGUAGES` is the list; the contact's language column offers the same."""
    from reslog_events.directory.models import Language
    from reslog_events.extensions import LANGUAGES
    from reslog_events.reports.schemas import AttendanceQuery

    assert tuple(language.value for language in Language) == LANGUAGES
    lang = AttendanceQuery.model_json_schema()["properties"]["lang"]
    assert {v for option in lang["anyOf"] for v in option.get("enum", [])} == set(LANGUAGES)


def test_importing_every_module_registers_nothing():
    """Wiring happens in init_app: importing the code (as a tool or a test may) connects no
    receiver, listener or view-argument check (run in a fresh interpreter)."""
    import subprocess
    import sys

    script = """
import importlib, pkgutil
import sqlalchemy as sa
from sqlalchemy.orm import Session
import reslog_events
for info in pkgutil.walk_packages(reslog_events.__path__, "reslog_events."):
    importlib.import_module(info.name)
from flask_sqlalchemy.session import Session as FlaskSession
from reslog_events.auth import operations
from reslog_events.core import signals
from reslog_events.events import visibility
from reslog_events.mail import outbox
assert not visibility._EVENT_KEYS, visibility._EVENT_KEYS
assert not sa.event.contains(Session, "after_flush", visibility.forget_on_change)
assert not sa.event.contains(Session, "after_flush", operations.forget_on_change)
assert not sa.event.contains(FlaskSession, "after_commit", outbox._enqueue_after_commit)
for name in dir(signals):
    signal = getattr(signals, name)
    if hasattr(signal, "receivers"):
        assert not signal.receivers, name
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
