"""`POST /webhooks/sendgrid`: SendGrid's Event Webhook (delivered, bounce, dropped, deferred…).

Only signed requests are taken: SendGrid signs `timestamp + body` with ECDSA (P-256, SHA-256);
the public key is SENDGRID_WEBHOOK_PUBLIC_KEY (base64 DER, as SendGrid's settings page shows it).
A timestamp older (or newer) than SENDGRID_WEBHOOK_MAX_AGE seconds is refused, so a captured
request cannot be replayed later; within that window a replay changes nothing (events are
de-duplicated on `sg_event_id`).

The same view is declared in the API registry as `/api/v1/webhooks/sendgrid` (documented in the
OpenAPI file, no bearer token); point SendGrid at either URL.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Blueprint, Flask, current_app, jsonify, request

from ..core.api import ApiError, api_blueprint, endpoint
from ..extensions import db
from .tracking import apply_events

bp = Blueprint("mail_webhooks", __name__)
api_bp = api_blueprint("mail_webhooks_api", __name__)

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
#: seconds a signed request stays acceptable
MAX_AGE = 600
#: Unix seconds, as SendGrid sends them
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def _public_key(app: Flask):
    configured = app.config.get("SENDGRID_WEBHOOK_PUBLIC_KEY")
    if not configured:
        return None
    cache = app.extensions.setdefault("sendgrid_webhook_key", {})
    if configured not in cache:
        from sendgrid.helpers.eventwebhook import EventWebhook

        cache[configured] = EventWebhook().convert_public_key_to_ecdsa(configured.strip())
    return cache[configured]


def verify(body: bytes, signature: str | None, timestamp: str | None) -> str | None:
    """None when the request is signed by SendGrid and fresh, else why it is refused."""
    key = _public_key(current_app)
    if key is None:
        return "The webhook is not configured (SENDGRID_WEBHOOK_PUBLIC_KEY)."
    if not signature or not timestamp:
        return "The request is not signed."
    # ASCII digits only: str.isdigit() is true for "²³" (int() then fails) and a long digit
    # string goes past int()'s limit; either was a 500
    if not _TIMESTAMP.fullmatch(timestamp):
        return "The timestamp is not valid."
    max_age = int(current_app.config.get("SENDGRID_WEBHOOK_MAX_AGE", MAX_AGE))
    if abs(time.time() - int(timestamp)) > max_age:
        return "The signed timestamp is too old or in the future."
    try:
        key.verify(
            base64.b64decode(signature, validate=True),
            timestamp.encode() + body,
            ec.ECDSA(hashes.SHA256()),
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return "The signature does not match."
    return None


@bp.post("/webhooks/sendgrid")  # the address given to SendGrid before the API existed
@endpoint(
    api_bp,
    "/webhooks/sendgrid",
    "POST",
    roles=None,
    summary="SendGrid Event Webhook (signed with ECDSA; also served at /webhooks/sendgrid)",
    extra_statuses={401: "Not signed, wrong signature or stale timestamp"},
)
def sendgrid_events():
    body = request.get_data(cache=True)
    refusal = verify(
        body, request.headers.get(SIGNATURE_HEADER), request.headers.get(TIMESTAMP_HEADER)
    )
    if refusal:
        raise ApiError(401, "invalid_signature", refusal)
    try:
        items = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "malformed_json", "The body is not valid JSON.") from None
    if not isinstance(items, list):
        raise ApiError(422, "validation_error", "The body must be a list of events.")
    applied = apply_events(items)
    db.session.commit()
    return jsonify(
        {
            "recorded": applied.recorded,
            "duplicates": applied.duplicates,
            "unmatched": applied.unmatched,
            "ignored": applied.ignored,
        }
    )
