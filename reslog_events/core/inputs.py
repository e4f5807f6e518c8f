"""Where a request comes in: who sent it (behind trusted proxies) and text no field may hold.

Behind a reverse proxy (TLS termination) every request comes from the proxy's address, so the
per-address rate limits (login, RSVP links) would be one limit for everybody: TRUSTED_PROXIES=N
reads the client's address and scheme from the N proxies' X-Forwarded-For/-Proto (Werkzeug's
ProxyFix). Unset, the headers are ignored (a client could forge them).

A NUL character (`%00` in a URL or form, `\\u0000` in JSON) is valid input to Werkzeug and
pydantic, but PostgreSQL cannot store it or even compare with it: `?q=%00` or a name with
`\\u0000` ended in a DataError (a 500) on PostgreSQL while SQLite took it. No person types one,
so a request carrying one is refused up front with a 400 (JSON under /api/, a page elsewhere);
JSON bodies are checked by `core.api` (`nul_location`), which names the field.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

NUL = "\x00"

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_location(value: Any, where: tuple[str, ...] = ()) -> str | None:
    """The dotted place of the first NUL in parsed JSON (keys included), or None."""
    stack: list[tuple[tuple[str, ...], Any]] = [(where, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return ".".join(path) or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                if NUL in str(key):
                    return ".".join(path) or "body"
                stack.append(((*path, str(key)), child))
        elif isinstance(item, list):
            stack.extend(((*path, str(i)), child) for i, child in enumerate(item))
    return None


def _has_nul(pairs: Any) -> bool:
    # a multipart part may come without a usable name (None)
    return any(NUL in (key or "") or NUL in (value or "") for key, value in pairs)


def init_app(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.before_request
    def refuse_nul_characters():
        if NUL in request.path or _has_nul(request.args.items(multi=True)):
            abort(400, _("The address contains a character that is not allowed."))
        if request.mimetype in _FORMS and _has_nul(request.form.items(multi=True)):
            abort(400, _("The form contains a character that is not allowed."))
