"""The JSON API toolkit: one decorator validates a request against pydantic models, checks the
caller's role, answers errors in the contract's shape, and records the endpoint for the OpenAPI
document, so that validation and documentation cannot drift apart.

    @endpoint(bp, "/organisations", "POST", roles=EDITORS, body=OrganisationIn,
              response=OrganisationOut, status=201, summary="Create an organisation")
    def create_organisation(body: OrganisationIn) -> Organisation: ...
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from flask import Blueprint, Response, g, jsonify, request
from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from ..auth.models import Role, User
from ..extensions import db
from .errors import DomainError
from .paging import Page, paginate  # noqa: F401 - the API's names for them
from .routing import MAX_ID
from .validation import FIRST_YEAR, LAST_YEAR, labelled, validation_fields

API_PREFIX = "/api/v1"


#: the name the API code has always used for the one domain error type
ApiError = DomainError


def not_found(what: str = "Resource") -> ApiError:
    return ApiError(404, "not_found", f"{what} not found.")


def require_multipart() -> None:
    """415 unless the request is an upload (multipart/form-data with its `file` field)."""
    if request.mimetype != "multipart/form-data":
        from flask_babel import gettext as _

        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send the file as multipart/form-data in the field “file”."),
        )


def get_or_404(model: type, ident: Any, what: str | None = None) -> Any:
    obj = db.session.get(model, ident)
    if obj is None:
        raise not_found(what or model.__name__)
    return obj


class Schema(BaseModel):
    """Base of request and response models: unknown request fields are errors."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)


def _strict_id(value: Any) -> Any:
    # Lax int parsing would take True as 1 and 2.0 as 2; form posts send digit strings.
    if isinstance(value, bool | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


#: a row id in a body or query: within the database's integer range (a larger number cannot
#: be bound by SQLite or psycopg and used to end in a 500)
Id = Annotated[int, BeforeValidator(_strict_id), Field(ge=1, le=MAX_ID)]

# FIRST_YEAR, LAST_YEAR: the years a day or a moment in a request may fall in: arithmetic near
# year 1 or 9999 (the day before, the end of the day in a time zone) overflows Python's date
# (a 500), and no event, report period or scan lies outside them


def _within_years(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_out_of_range",
            "Input should be a date between {first} and {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


#: the range check of every day and moment a request carries (a test checks that every
#: request schema's date and datetime fields have it: tests/security/test_schema_ranges.py)
WITHIN_YEARS = AfterValidator(_within_years)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    # Lax date parsing would take numbers and numeric text ("0.0") as Unix timestamps.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD")


#: a calendar day in a body or query: ISO 8601 text (YYYY-MM-DD) only, within the years above
IsoDate = Annotated[date, BeforeValidator(_iso_date), WITHIN_YEARS]

#: a moment in a body or query, within the years above
Moment = Annotated[datetime, WITHIN_YEARS]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=500)


def parse(model: type[BaseModel], data: Any, where: str = "body") -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        message = _("The query is not valid.") if where == "query" else _("The body is not valid.")
        raise ApiError(
            422, "validation_error", message, validation_fields(exc, model, data)
        ) from None


@dataclass
class Endpoint:
    rule: str
    method: str
    roles: tuple[Role, ...] | None
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    #: the JSON body may be left out (the model's defaults then)
    body_optional: bool = False
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    many: bool = False
    status: int = 200
    multipart: bool = False
    #: the form fields of a multipart upload beside its `file` (parsed into the view's `form`)
    form: type[BaseModel] | None = None
    extra_statuses: dict[int, str] = field(default_factory=dict)
    #: other media types of the success answer: files (CSV, XLSX) given instead of JSON
    downloads: tuple[str, ...] = ()

    @property
    def openapi_path(self) -> str:
        return API_PREFIX + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)


#: every endpoint declared with @endpoint, for the OpenAPI document and the role matrix test
REGISTRY: list[Endpoint] = []


def bearer_user(attach: bool = True) -> User | None:
    from ..auth.operations import user_for_token

    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "A valid bearer token is required.")
    user = user_for_token(token.strip(), attach=attach)
    if user is None:
        raise ApiError(401, "unauthorized", "The bearer token is not valid.")
    return user


def authenticate(attach: bool = True) -> User:
    """The caller: by bearer token, or by a logged-in session (unsafe methods need CSRF).
    attach=False may give a bearer token's user as a read-only copy outside the session."""
    from flask_login import current_user
    from flask_wtf.csrf import CSRFError, validate_csrf

    user = bearer_user(attach)
    if user is not None:
        return user
    if current_user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except (CSRFError, Exception):  # noqa: BLE001 - any CSRF failure is a 401
                raise ApiError(401, "csrf", "The CSRF token is missing or invalid.") from None
        return current_user._get_current_object()
    raise ApiError(401, "unauthorized", "A valid bearer token is required.")


def _json_body() -> Any:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")
    from .inputs import nul_location

    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes ([[[[…]]]]): not a 500
        data = None
    if data is None:
        raise ApiError(400, "malformed_json", "The body is not valid JSON.")
    where = nul_location(data)
    if where is not None:
        # in the requester's language like every other validation error (`@endpoint` then
        # names the field by its label)
        message = _("Text may not contain NUL characters.")
        raise ApiError(422, "validation_error", _("The body is not valid."), {where: message})
    return data


def _serialise(value: Any, response: type[BaseModel] | None) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if response is not None:
        return response.model_validate(value).model_dump(mode="json")
    return value


def _check_event_scope(user: User, view_args: dict[str, Any]) -> None:
    """404 for an event (named in the path) outside the caller's union and teams."""
    from ..events.visibility import EventNotFound, check_view_args

    try:
        check_view_args(user, view_args)
    except EventNotFound:
        raise not_found("Event") from None


def endpoint(
    bp: Blueprint,
    rule: str,
    method: str = "GET",
    *,
    roles: Iterable[Role] | None,
    summary: str,
    body: type[BaseModel] | None = None,
    body_optional: bool = False,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    many: bool = False,
    status: int = 200,
    multipart: bool = False,
    form: type[BaseModel] | None = None,
    extra_statuses: dict[int, str] | None = None,
    downloads: Sequence[str] = (),
    user_in_session: bool = True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an API endpoint. `roles=None` means no authentication (webhooks).
    `user_in_session=False`: `g.api_user` may be a read-only copy of the caller, outside the ORM
    session, for views that use only its id and role (it spares a busy endpoint the merge).
    `form`: a multipart upload's fields beside its `file` (implies `multipart`), validated into
    the view's `form` argument and described in the OpenAPI document from the same model.
    `body_optional`: a request without a body gets the `body` model's defaults."""
    allowed = tuple(roles) if roles is not None else None
    spec = Endpoint(
        rule=rule,
        method=method,
        roles=allowed,
        summary=summary,
        tag=bp.name,
        body=body,
        body_optional=body_optional,
        query=query,
        response=response,
        many=many,
        status=status,
        multipart=multipart or form is not None,
        form=form,
        extra_statuses=extra_statuses or {},
        downloads=tuple(downloads),
    )
    REGISTRY.append(spec)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            try:
                if allowed is not None:
                    user = authenticate(user_in_session)
                    g.api_user = user
                    if user.role not in allowed:
                        raise ApiError(403, "forbidden", "Your role may not do this.")
                    _check_event_scope(user, kwargs)
                if body is not None and body_optional and not request.get_data(cache=True):
                    kwargs["body"] = body()
                elif body is not None:
                    kwargs["body"] = parse(body, _json_body())
                if query is not None:
                    # ?lang= chooses the language of the messages, as on every page (a
                    # query that declares it checks it itself)
                    args = request.args.to_dict()
                    if "lang" not in query.model_fields:
                        args.pop("lang", None)
                    kwargs["query"] = parse(query, args, "query")
                if form is not None:
                    kwargs["form"] = parse(form, request.form.to_dict(), "form")
                result = view(**kwargs)
            except ApiError as exc:
                db.session.rollback()
                if exc.status == 422 and body is not None:
                    exc.fields = labelled(body, exc.fields)
                return exc.response()
            if isinstance(result, Response):
                return result
            code = status
            if isinstance(result, tuple):
                result, code = result
            if isinstance(result, Page):
                payload: Any = {
                    "items": [_serialise(item, response) for item in result.items],
                    "total": result.total,
                }
            else:
                payload = _serialise(result, response)
            resp = jsonify(payload)
            resp.status_code = code
            return resp

        bp.add_url_rule(rule, view_func=wrapper, methods=[method], endpoint=view.__name__)
        return wrapper

    return decorator


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A feature's API blueprint, mounted under /api/v1 and exempt from form CSRF (it checks
    its own: bearer tokens need none, sessions send X-CSRFToken)."""
    from ..extensions import csrf

    bp = Blueprint(name, import_name, url_prefix=API_PREFIX)
    bp.record_once(lambda _state: csrf.exempt(bp))  # when the app registers it, not on import
    return bp
