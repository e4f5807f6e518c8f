"""Logs without secrets or personal data: every log record of the process is redacted when it is
made, whoever logs it (the app, Werkzeug's or gunicorn's access and error logs, Dramatiq,
SQLAlchemy), and the database engine never prints a statement's parameters.

What is masked:
- secret links: the token after `/rsvp/`, `/feeds/u/` and `/feedback/` (a survey's link),
  and any path segment that looks like a token (16 or more URL-safe characters with a digit
  or a capital: a set-password or reset link, a certificate's code), wherever the path
  appears (a request line, "Exception on …"), and any other word of 20 or more such
  characters with a digit;
- the values of query arguments that carry secrets (`token=`, `secret=`, `code=`, …) or a
  search for a person (`q=`, `email=`, `name=`: the door's search by name);
- email addresses, down to their domain (`…@example.org`);
- the values PostgreSQL quotes in a constraint error (`Key (email)=(…) already exists`,
  `Failing row contains (…)`);
- the same in an exception's traceback.

A database error's message holds the statement and, by default, its parameters (names, emails,
needs): `hide_parameters` keeps them out of the exception, so out of every log too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, has_request_context, request

_SECRET_PREFIXES = re.compile(r"(/rsvp/|/feeds/u/|/feedback/(?=[\w-]{16}))[^/\s?#\"']+")
_TOKEN_SEGMENT = re.compile(r"(?<=/)(?=[\w-]*[0-9A-Z])[A-Za-z0-9_-]{16,}(?=[/?#\s\"']|$)", re.ASCII)
#: a token outside a path (an exception's message): 20 or more URL-safe characters with a
#: digit, or with both cases and a `-` or `_` (words, CamelCase class names and snake_case
#: names of a traceback have neither); about 1 token in 100 has no digit
_TOKEN_WORD = re.compile(
    r"(?<![\w-])(?=[\w-]*[0-9]|(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]*[A-Za-z][_-])"
    r"[A-Za-z0-9_-]{20,}(?![\w-])",
    re.ASCII,
)
#: query arguments that carry a secret, or what someone typed to find a person
_PRIVATE_ARGS = re.compile(
    r"([?&](?:token|secret|code|key|password|signature|sig|q|email|name)=)[^&\s#\"']+",
    re.IGNORECASE,
)
#: PostgreSQL's DETAIL of a constraint error quotes the values: "Key (email)=(…) already
#: exists", "Failing row contains (…)"
_ROW_VALUES = re.compile(
    r"(Key \([^)]*\)=\(|Failing row contains \()[^\n]*?(\)(?: already| is not|\.?$))", re.M
)
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?=[A-Za-z0-9-]+\.)")
MASK = "…"


def redact(text: str | None, secrets: tuple[str, ...] = ()) -> str | None:
    """The text with secret links, private query values, the values PostgreSQL quotes and
    email addresses masked; and `secrets` (the request's own token, `_request_secrets`)
    wherever they stand, whatever they look like."""
    if not text:
        return text
    for secret in secrets:
        text = text.replace(secret, MASK)
    text = _SECRET_PREFIXES.sub(rf"\1{MASK}", text)
    text = _TOKEN_SEGMENT.sub(MASK, text)
    text = _TOKEN_WORD.sub(MASK, text)
    text = _PRIVATE_ARGS.sub(rf"\1{MASK}", text)
    text = _ROW_VALUES.sub(rf"\1{MASK}\2", text)
    return _EMAIL.sub(MASK + "@", text)


_formatter = logging.Formatter()
#: the shortest view argument taken for a secret of the request (tokens are 27 characters)
_SECRET_ARG_LENGTH = 16


def _request_secrets() -> tuple[str, ...]:
    """The long string arguments of the request's route (an RSVP link's token, a feed's, a
    reset link's): masked in whatever is logged during the request, even where they do not
    look like a token (an exception's message quoting one)."""
    if not has_request_context():
        return ()
    args = request.view_args or {}
    return tuple(
        value
        for value in args.values()
        if isinstance(value, str) and len(value) >= _SECRET_ARG_LENGTH
    )


def _redacting(factory: Any) -> Any:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is the logger's business
            return record
        secrets = _request_secrets()
        record.msg, record.args = redact(message, secrets), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(_formatter.formatException(record.exc_info), secrets)
        return record

    make_record.reslog_redacting = True  # type: ignore[attr-defined]
    return make_record


def install() -> None:
    """Redact every log record made from now on in this process (once, however many apps)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "reslog_redacting", False):
        logging.setLogRecordFactory(_redacting(current))


def init_app(app: Flask) -> None:
    """Before the database extension makes its engines."""
    install()
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["hide_parameters"] = True
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
