"""Configuration from the environment (and a `.env` file), read when the app is built.

The names are the public contract (see README): nothing here runs at import time.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import dotenv_values

TRUE_WORDS = {"1", "true", "yes", "on"}


class ConfigError(ValueError):
    """A setting whose value cannot be used; the message names the variable."""


def _number(
    env: dict[str, str],
    name: str,
    default: float,
    *,
    kind: type[int] | type[float] = int,
    minimum: float = 0,
    above: bool = False,
) -> Any:
    """The setting `name` as an int (or float), at least `minimum` (above it when `above`);
    unset or empty: `default`. A bad value raises ConfigError at startup, naming the variable."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    bound = f"{'greater than' if above else 'at least'} {minimum:g}"
    wanted = f"{'an integer' if kind is int else 'a number'} {bound}"
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected {wanted} (default {default:g})") from None
    if not math.isfinite(value) or value < minimum or (above and value == minimum):
        raise ConfigError(f"{name}={raw!r}: expected {wanted} (default {default:g})")
    return value


def _mail_settings(env: dict[str, str]) -> dict[str, Any]:
    """Timeouts, retries and freshness limits of the mail path (docs/delivery.md)."""
    values = {
        "SMTP_TIMEOUT": _number(env, "SMTP_TIMEOUT", 30, kind=float, above=True),
        "SENDGRID_TIMEOUT": _number(env, "SENDGRID_TIMEOUT", 20, kind=float, above=True),
        "SENDGRID_WEBHOOK_MAX_AGE": _number(env, "SENDGRID_WEBHOOK_MAX_AGE", 600, minimum=1),
        "OUTBOX_RETRY_BASE_SECONDS": _number(
            env, "OUTBOX_RETRY_BASE_SECONDS", 30, kind=float, above=True
        ),
        "OUTBOX_RETRY_MAX_SECONDS": _number(
            env, "OUTBOX_RETRY_MAX_SECONDS", 3600, kind=float, above=True
        ),
        "OUTBOX_MAX_ATTEMPTS": _number(env, "OUTBOX_MAX_ATTEMPTS", 10, minimum=1),
        "OUTBOX_SWEEP_AFTER_SECONDS": _number(env, "OUTBOX_SWEEP_AFTER_SECONDS", 60),
        "OUTBOX_LEASE_SECONDS": _number(env, "OUTBOX_LEASE_SECONDS", 120, minimum=1),
        "REMINDER_DAYS_BEFORE_DEADLINE": _number(env, "REMINDER_DAYS_BEFORE_DEADLINE", 3),
        "REMINDER_MIN_INTERVAL_HOURS": _number(env, "REMINDER_MIN_INTERVAL_HOURS", 24, kind=float),
    }
    if values["OUTBOX_RETRY_MAX_SECONDS"] < values["OUTBOX_RETRY_BASE_SECONDS"]:
        raise ConfigError(
            "OUTBOX_RETRY_MAX_SECONDS must not be less than OUTBOX_RETRY_BASE_SECONDS "
            f"({values['OUTBOX_RETRY_MAX_SECONDS']:g} < {values['OUTBOX_RETRY_BASE_SECONDS']:g})"
        )
    return values


def _documents_settings(env: dict[str, str], instance_path: Path) -> dict[str, Any]:
    """Where the events' documents are kept (reslog_events/documents/storage.py), and how large
    one file may be."""
    raw = env.get("DOCUMENTS_STORAGE") or "local"
    kind = raw.strip().lower()
    if kind not in ("local", "s3"):
        raise ConfigError(f"DOCUMENTS_STORAGE={raw!r}: expected local or s3 (default local)")
    bucket = (env.get("S3_BUCKET") or "").strip() or None
    endpoint = (env.get("S3_ENDPOINT_URL") or "").strip() or None
    if kind == "s3":
        if bucket is None:
            raise ConfigError("S3_BUCKET: required when DOCUMENTS_STORAGE=s3")
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
            raise ConfigError(f"S3_BUCKET={bucket!r}: not a bucket name (a-z, 0-9, '.', '-')")
        parts = urlsplit(endpoint or "https://s3.amazonaws.com")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"S3_ENDPOINT_URL={endpoint!r}: expected an http(s):// address")
        if importlib.util.find_spec("boto3") is None:
            raise ConfigError("DOCUMENTS_STORAGE=s3 needs boto3: pip install 'reslog-events[s3]'")
    return {
        "DOCUMENTS_STORAGE": kind,
        "DOCUMENTS_DIR": env.get("DOCUMENTS_DIR") or str(instance_path / "documents"),
        "DOCUMENTS_MAX_MB": _number(env, "DOCUMENTS_MAX_MB", 20, minimum=1),
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": env.get("S3_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
    }


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def _secret_key(instance_path: Path) -> str:
    """A development signing key, generated once and kept in the instance folder."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def environment() -> dict[str, str]:
    """The process environment over the values of `.env` in the working directory."""
    values = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    values.update(os.environ)
    return values


def load_config(instance_path: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """The app's settings; raises ConfigError (naming the variable) for a value it cannot use."""
    env = environment() if env is None else env
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'reslog_events.sqlite'}"
    if database_url.startswith("postgres://"):  # Heroku-style URLs
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    # Unset (trials, `PORT=5091 python3 dev.py run`): the links in emails reach the port the
    # app serves on, not a fixed 5000. Production names its public address and keeps it.
    port = _number(env, "PORT", 5000, minimum=1)
    public_base_url = (env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}").rstrip("/")
    redis_url = env.get("REDIS_URL") or None
    https = public_base_url.startswith("https://")
    documents = _documents_settings(env, instance_path)
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Connections idle for a while are tested before use (extensions.PING_IDLE_SECONDS),
        # not every one; none is kept past half an hour (server or proxy idle timeouts).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
        "REDIS_URL": redis_url,
        "MAIL_BACKEND": env.get("MAIL_BACKEND", "file"),
        "MAIL_OUTBOX_DIR": str(instance_path / "outbox"),
        "SMTP_HOST": env.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": _number(env, "SMTP_PORT", 25, minimum=1),
        "SMTP_USERNAME": env.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag(env.get("SMTP_STARTTLS")),
        "SENDGRID_API_KEY": env.get("SENDGRID_API_KEY") or None,
        "SENDGRID_API_HOST": env.get("SENDGRID_API_HOST") or "https://api.sendgrid.com",
        "SENDGRID_WEBHOOK_PUBLIC_KEY": env.get("SENDGRID_WEBHOOK_PUBLIC_KEY") or None,
        "MAIL_FROM": env.get("MAIL_FROM", "RESLOG Events <events@localhost>"),
        "MAIL_RATE_PER_SECOND": _number(env, "MAIL_RATE_PER_SECOND", 50),
        "PUBLIC_BASE_URL": public_base_url,
        "DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "Europe/Istanbul"),
        "DEFAULT_LANGUAGE": env.get("DEFAULT_LANGUAGE", "tr"),
        "BABEL_DEFAULT_LOCALE": env.get("DEFAULT_LANGUAGE", "tr"),
        "BABEL_DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "Europe/Istanbul"),
        # The in-process worker runs the actors when there is no broker (trials only).
        "EMBEDDED_WORKER": redis_url is None,
        "RATELIMIT_STORAGE_URI": redis_url
        if redis_url and redis_url.startswith("redis")
        else "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down (restart, failover) must not turn the RSVP page and the login into 500s:
        # each process limits in memory until Redis answers again, and a limiter error is
        # logged, never the request's failure (docs/reliability.md, the Redis drill).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        # a request's body: 10 MB, or one document and its form around it (DOCUMENTS_MAX_MB)
        "MAX_CONTENT_LENGTH": max(10, documents["DOCUMENTS_MAX_MB"] + 1) * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        # a "keep me logged in" session outlives the browser as long as its remember-me cookie
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        # the cookie is sent anew when the session changes (its last use, every 30 s at most),
        # not on every request
        "SESSION_REFRESH_EACH_REQUEST": False,
        # a browser session unused this long ends at its next request (docs/security.md)
        "SESSION_IDLE_MINUTES": _number(env, "SESSION_IDLE_MINUTES", 120, minimum=1),
        # reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto are trusted: without
        # it every client has the proxy's address and shares one rate limit (docs/security.md)
        "TRUSTED_PROXIES": _number(env, "TRUSTED_PROXIES", 0),
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "RETENTION_MONTHS": _number(env, "RETENTION_MONTHS", 6),
        # coordinators see counts below this as hidden (docs/reports.md, small cells); 1 hides
        # nothing
        "REPORT_MIN_CELL": _number(env, "REPORT_MIN_CELL", 5, minimum=1),
        # the periodic jobs' intervals (workers/schedule.py), for the clock and the embedded worker
        "CLOCK_SWEEP_SECONDS": _number(env, "CLOCK_SWEEP_SECONDS", 30, minimum=1),
        "CLOCK_REMINDERS_MINUTES": _number(env, "CLOCK_REMINDERS_MINUTES", 15, minimum=1),
        **_mail_settings(env),
        **documents,
    }
