"""`MAIL_BACKEND=sendgrid`: the official `sendgrid` client (v3 Mail Send), `SENDGRID_API_HOST`
honoured (a proxy, the EU region, a test server).

The outbox id travels as the custom arg `outgoing_id`: the Event Webhook gives it back with every
event, so delivery reports find their row without depending on the X-Message-Id format.

Every send opens its own HTTPS connection (TCP and TLS handshakes): python_http_client builds a
new urllib opener per request and urllib sends `Connection: close`. Neither it nor
SendGridAPIClient takes a session or transport; the only seam is the private
`Client._make_request`, and reusing a connection would mean replacing the client's transport
and error mapping, so it is left as it is (docs/benchmarks.md, "The send workers' CPU per
email").
"""

from __future__ import annotations

import base64
import http.client
import time
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from python_http_client import exceptions as http_errors

from ..compose import ComposedEmail, calendar_method
from . import PermanentMailError, TransientMailError

#: seconds to wait for SendGrid before giving up on one attempt (then retried)
TIMEOUT = 20
#: statuses after which the same request will never succeed
PERMANENT = {400, 401, 403, 404, 405, 413, 415}


def retry_after_seconds(headers: Any, now: float | None = None) -> float | None:
    """Seconds to wait, from `Retry-After` (seconds or an HTTP date) or `X-RateLimit-Reset`."""
    if headers is None:
        return None
    now = time.time() if now is None else now
    value = headers.get("Retry-After")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = headers.get("X-RateLimit-Reset")
    if reset and reset.strip().isdigit():
        return max(0.0, float(reset) - now)
    return None


def payload_of(message: ComposedEmail) -> dict[str, Any]:
    """The v3 Mail Send body for a composed email."""
    rendered = message.rendered
    from_name, from_address = parseaddr(message.sender)
    sender: dict[str, str] = {"email": from_address}
    if from_name:
        sender["name"] = from_name
    to: dict[str, str] = {"email": message.to_address}
    if message.to_name:
        to["name"] = message.to_name
    content = [
        {"type": "text/plain", "value": rendered.text},
        {"type": "text/html", "value": rendered.html},
    ]
    attachments: list[dict[str, str]] = []
    if rendered.calendar is not None:
        method = message.calendar_method or calendar_method(rendered.calendar)
        # SendGrid puts this in the multipart/alternative: calendar programs show the invitation.
        content.append(
            {"type": f"text/calendar; method={method}", "value": rendered.calendar.decode()}
        )
        attachments.append(
            {
                "content": base64.b64encode(rendered.calendar).decode(),
                "type": "application/ics",
                "filename": "invite.ics",
                "disposition": "attachment",
            }
        )
    for att in rendered.attachments:
        item = {
            "content": base64.b64encode(att.data).decode(),
            "type": att.content_type.partition(";")[0].strip(),
            "filename": att.filename,
            "disposition": "inline" if att.content_id else "attachment",
        }
        if att.content_id:
            item["content_id"] = att.content_id
        attachments.append(item)
    body: dict[str, Any] = {
        "personalizations": [{"to": [to]}],
        "from": sender,
        "subject": rendered.subject,
        "content": content,
        "custom_args": {"outgoing_id": str(message.outgoing_id)},
        "headers": {**rendered.headers, **message.headers},
    }
    if attachments:
        body["attachments"] = attachments
    return body


class SendGridBackend:
    name = "sendgrid"

    def __init__(self, config: dict[str, Any]) -> None:
        from sendgrid import SendGridAPIClient

        self.client = SendGridAPIClient(
            api_key=config.get("SENDGRID_API_KEY") or "", host=config["SENDGRID_API_HOST"]
        )
        # python_http_client passes this to every urlopen (connect and read).
        self.client.client.timeout = float(config.get("SENDGRID_TIMEOUT", TIMEOUT))

    def send(self, message: ComposedEmail) -> str | None:
        try:
            response = self.client.send(payload_of(message))
        except http_errors.HTTPError as exc:
            raise _http_error(exc) from None
        except (OSError, http.client.HTTPException) as exc:
            # URLError (refused, DNS), TimeoutError (a hanging server), RemoteDisconnected…:
            # raised by urllib beneath the client, which does not wrap them.
            raise TransientMailError(f"SendGrid unreachable: {exc or type(exc).__name__}") from None
        status = response.status_code
        if status >= 300:  # the client raises for 4xx/5xx; anything else is unexpected
            raise TransientMailError(f"SendGrid answered {status}")
        headers = response.headers
        return (headers.get("X-Message-Id") if headers is not None else None) or None

    def close(self) -> None:
        pass


def _http_error(exc: http_errors.HTTPError) -> TransientMailError | PermanentMailError:
    status = int(getattr(exc, "status_code", 0) or 0)
    body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else str(exc.body)
    detail = _error_messages(body) or (exc.reason or "")
    reason = f"SendGrid {status}: {detail}".strip()
    if status in PERMANENT:
        return PermanentMailError(reason)
    retry_after = retry_after_seconds(exc.headers) if status == 429 else None
    return TransientMailError(reason, retry_after=retry_after)


def _error_messages(body: str) -> str:
    import json

    try:
        errors = json.loads(body).get("errors") or []
    except (ValueError, AttributeError):
        return body[:300]
    return "; ".join(str(e.get("message", "")) for e in errors if isinstance(e, dict))[:500]
