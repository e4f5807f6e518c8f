"""Mail backends, chosen by `MAIL_BACKEND`: `file`, `smtp`, `sendgrid`.

A backend takes a composed message (`mail.compose.ComposedEmail`) and returns the provider's id
for it, or raises `TransientMailError` (try again later, maybe after `retry_after` seconds) or
`PermanentMailError` (this message will never go: the reason is shown to the organiser).

    backend = get_backend(current_app)
    provider_id = backend.send(composed)
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from flask import Flask

from ..compose import ComposedEmail


class MailError(Exception):
    """A message could not be handed to the provider; `reason` is readable by an organiser."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:1000]


class TransientMailError(MailError):
    """Try again later (connection refused, SMTP 4xx, HTTP 429/5xx, timeout)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class OwnRateLimit(TransientMailError):
    """Our own send-rate limit had no slot for this message yet: the message waits its turn.
    Not an attempt at the provider, so it does not count toward giving up."""


class PermanentMailError(MailError):
    """This message will never be accepted as it is (SMTP 5xx, HTTP 400/401/403/413)."""


class MailBackend(Protocol):
    name: str

    def send(self, message: ComposedEmail) -> str | None: ...

    def close(self) -> None: ...


_BACKENDS: dict[str, str] = {
    "file": "reslog_events.mail.backends.file:FileBackend",
    "smtp": "reslog_events.mail.backends.smtp:SmtpBackend",
    "sendgrid": "reslog_events.mail.backends.sendgrid:SendGridBackend",
}
_lock = threading.Lock()


def _settings_key(app: Flask) -> tuple[Any, ...]:
    c = app.config
    return (
        c["MAIL_BACKEND"],
        c.get("MAIL_OUTBOX_DIR"),
        c.get("SMTP_HOST"),
        c.get("SMTP_PORT"),
        c.get("SMTP_USERNAME"),
        c.get("SMTP_PASSWORD"),
        c.get("SMTP_STARTTLS"),
        c.get("SENDGRID_API_HOST"),
        c.get("SENDGRID_API_KEY"),
    )


def get_backend(app: Flask) -> MailBackend:
    """The app's backend (one per app and settings; backends are safe to share across threads:
    the SMTP one keeps one connection per thread)."""
    import importlib

    key = _settings_key(app)
    store = app.extensions.setdefault("mail_backends", {})
    backend = store.get(key)
    if backend is None:
        with _lock:
            backend = store.get(key)
            if backend is None:
                name = app.config["MAIL_BACKEND"]
                if name not in _BACKENDS:
                    raise ValueError(f"MAIL_BACKEND must be one of {', '.join(_BACKENDS)}")
                module, _, cls = _BACKENDS[name].partition(":")
                backend = getattr(importlib.import_module(module), cls)(app.config)
                store[key] = backend
    return backend


def close_backends(app: Flask) -> None:
    """Close the app's backends (their connections), e.g. when a worker shuts down."""
    store = app.extensions.get("mail_backends", {})
    with _lock:
        backends = list(store.values())
        store.clear()
    for backend in backends:
        backend.close()
