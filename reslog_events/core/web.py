"""Shared page plumbing: the home page, security headers, template helpers, form validation."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError

from ..extensions import LANGUAGES, RTL_LANGUAGES
from . import datetimes
from .countries import country_name, country_options
from .datetimes import DayStyle, moment_in_zone
from .email_kinds import email_kind_label
from .language_names import language_name
from .turkish import locale_lower
from .validation import validation_fields

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    from ..auth.models import Role

    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == Role.coordinator and "reports.dashboard" in current_app.view_functions:
        return redirect(url_for("reports.dashboard"))
    if "events.list_events" in current_app.view_functions:
        return redirect(url_for("events.list_events"))
    return "RESLOG Events"


#: a browser asks for the icon on every page: it keeps it a week
ICON_MAX_AGE = 7 * 24 * 3600


@bp.get("/favicon.ico")
def favicon():
    """The icon at the address browsers (and PDF, JSON and feed tabs) ask for by themselves."""
    response = send_from_directory(
        current_app.static_folder or "static", "icons/favicon.ico", max_age=ICON_MAX_AGE
    )
    response.cache_control.public = True
    return response


def validate_form(model: type[BaseModel], data: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """Validate a page's form with the API's model: (object, {}) or (None, {field: message})."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        return None, validation_fields(exc, model, data)


def form_data(fields_as_lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The submitted form as a dict: empty strings become None; some fields are lists."""
    data: dict[str, Any] = {}
    for key in request.form:
        if key == "csrf_token":
            continue
        if key in fields_as_lists:
            data[key] = [v for v in request.form.getlist(key) if v]
        else:
            value = request.form.get(key, "").strip()
            data[key] = value if value != "" else None
    for key in fields_as_lists:
        data.setdefault(key, [])
    return data


def event_time(value: datetime | None, zone: str, fmt: DayStyle = "medium") -> str:
    """A time in the event's zone, in the page's language, with the zone named."""
    return moment_in_zone(value, zone, fmt)


def list_sep() -> str:
    """The separator of a list in running text ("Şişli, İstanbul"): Arabic writes "،"."""
    return "، " if str(get_locale() or "").split("_")[0] == "ar" else ", "


def url_with(**changes: Any) -> str:
    """The current page's URL with some query arguments changed (pagination, language)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return request.path + ("?" + urlencode(args) if args else "")


def option_tags(choices: Any, value: Any = None) -> Markup:
    """The `<option>`s of `_macros.html`'s `select`, as its loop wrote them (the same spacing),
    `value`'s selected: in one call rather than a Jinja step, two escapes and two filters per
    option (the reports dashboard lists 200 events on every view: bench/pages.py, the
    dashboard). Lists of plain texts are written once and kept; others (lazy or marked-up
    texts) are written each time."""
    wanted = None if value is None else str(value)
    choices = tuple(choices)
    if all(type(key) in _PLAIN and type(text) is str for key, text in choices):
        return _kept_option_tags(choices, wanted)
    return _option_tags(choices, wanted)


_PLAIN = (str, int)


def _option_tags(choices: tuple, wanted: str | None) -> Markup:
    tags = []
    for key, text in choices:
        selected = " selected" if wanted is not None and str(key) == wanted else ""
        tags.append(f'\n    <option value="{escape(key)}"{selected}>{escape(text)}</option>\n    ')
    return Markup("".join(tags))  # noqa: S704 - every value escaped above


_kept_option_tags = lru_cache(maxsize=256)(_option_tags)


def init_app(app: Flask) -> None:
    defaults = [
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'; object-src 'none'",
        ),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
    ]
    hsts = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")

    @app.after_request
    def security_headers(response):
        headers = response.headers
        present = {key.lower() for key, _value in headers.items()}
        for key, value in defaults:
            if key.lower() not in present:
                headers.add(key, value)
        if app.config["PUBLIC_BASE_URL"].startswith("https://") and hsts[0].lower() not in present:
            headers.add(*hsts)
        if request.path.startswith(("/rsvp/", "/login", "/account")):
            headers.setdefault("Cache-Control", "no-store")
        return response

    # Globals rather than context variables, so that macros imported without context see them.
    app.jinja_env.filters["locale_lower"] = locale_lower
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        event_time=event_time,
        **datetimes.TEMPLATE_GLOBALS,
        country_name=country_name,
        language_name=language_name,
        email_kind_label=email_kind_label,
        country_options=country_options,
        url_with=url_with,
        option_tags=option_tags,
        list_sep=list_sep,
        has_endpoint=lambda name: name in app.view_functions,
    )

    @app.context_processor
    def page_locale() -> dict[str, Any]:
        locale = str(get_locale() or app.config["DEFAULT_LANGUAGE"])
        return {
            "page_language": locale,
            "text_direction": "rtl" if locale in RTL_LANGUAGES else "ltr",
        }
