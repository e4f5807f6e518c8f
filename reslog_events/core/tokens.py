"""Secrets handed to people: API tokens, RSVP links, check-in codes.

Each is random (never derived from ids) and stored as its SHA-256 hash for lookup. Where the
system must show a secret again (the RSVP link in a resent email, the QR code on the RSVP page),
a copy is sealed with a key derived from SECRET_KEY, so a database dump alone reveals nothing.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

CHECKIN_PREFIX = "RSL1"


def digest(secret: str) -> str:
    """The hex SHA-256 under which a secret is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_token() -> str:
    return "rsl_" + secrets.token_urlsafe(32)


def new_rsvp_token() -> str:
    """160 random bits, URL-safe (27 characters)."""
    return secrets.token_urlsafe(20)


def new_checkin_code() -> str:
    """A short QR text: prefix + 130 random bits in base32 (QR alphanumeric mode), 31 characters."""
    raw = secrets.token_bytes(17)
    return f"{CHECKIN_PREFIX}-" + base64.b32encode(raw).decode().rstrip("=")[:26]


def normalise_checkin_code(text: str) -> str:
    """What a scanner typed or decoded, as stored: trimmed, upper-case (keyboards add case)."""
    return text.strip().upper()


def _fernet() -> Fernet:
    key = hashlib.sha256(("seal:" + current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
