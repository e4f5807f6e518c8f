"""The real SendGrid client against a local HTTP server answering 202, 429 then 202, 4xx, 500,
and hanging; and the Event Webhook with valid, tampered, unsigned and stale requests."""

from __future__ import annotations

import base64
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.models import EmailStatus
from reslog_events.mail import delivery
from reslog_events.mail.backends import close_backends
from reslog_events.mail.messages import RENDERERS, Attachment, RenderedEmail
from reslog_events.mail.models import DeliveryEvent, DeliveryStatus, OutboxStatus, OutgoingEmail
from reslog_events.mail.outbox import queue_email

# --- a fake SendGrid API ---------------------------------------------------------------------


class FakeSendGrid:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict, bytes, float]] = []
        self.release = threading.Event()

    def answer(self, status: int, headers: dict | None = None, body: bytes = b"", delay=0.0):
        self.answers.append((status, headers or {}, body, delay))


@pytest.fixture
def sendgrid_api(app):
    fake = FakeSendGrid()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            fake.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
            )
            status, headers, payload, delay = (
                fake.answers.pop(0) if fake.answers else (202, {"X-Message-Id": "ok"}, b"", 0)
            )
            if delay:
                fake.release.wait(delay)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.test-key",
        SENDGRID_API_HOST=f"http://127.0.0.1:{server.server_port}",
        SENDGRID_TIMEOUT=0.5,
        OUTBOX_RETRY_BASE_SECONDS=0.01,
    )
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()
    close_backends(app)


def _queued(create_invitation, kind="invitation", **kw):
    inv = create_invitation(**kw).invitation
    row = queue_email(kind, invitation=inv)
    db.session.commit()
    return row


def _row(row_id) -> OutgoingEmail:
    db.session.expire_all()
    return db.session.get(OutgoingEmail, row_id)


def test_202_sends_html_text_calendar_and_custom_args(
    app, sendgrid_api, create_invitation, create_contact
):
    contact = create_contact(full_name="Ayşe Sarıçam", email="ayse@example.org", language="tr")
    row = _queued(create_invitation, contact=contact)
    sendgrid_api.answer(202, {"X-Message-Id": "Abc123XyZ"})
    assert delivery.deliver([row.id]).sent == [row.id]
    assert _row(row.id).provider_message_id == "Abc123XyZ"
    (request,) = sendgrid_api.requests
    assert request["path"] == "/v3/mail/send"
    assert request["headers"]["Authorization"] == "Bearer SG.test-key"
    body = request["json"]
    assert body["personalizations"][0]["to"] == [
        {"email": "ayse@example.org", "name": "Ayşe Sarıçam"}
    ]
    types = [c["type"] for c in body["content"]]
    assert types == ["text/plain", "text/html", "text/calendar; method=REQUEST"]
    assert body["custom_args"] == {"outgoing_id": str(row.id)}
    (ics,) = [a for a in body["attachments"] if a["filename"] == "invite.ics"]
    assert base64.b64decode(ics["content"]).decode() == body["content"][2]["value"]
    assert "BEGIN:VCALENDAR" in body["content"][2]["value"]


def test_inline_attachments_carry_their_content_id(app, sendgrid_api, create_invitation):
    RENDERERS["test-inline"] = lambda row: RenderedEmail(
        subject="QR",
        text="t",
        html='<img src="cid:qr@x">',
        attachments=[Attachment("qr.png", "image/png", b"\x89PNG", content_id="qr@x")],
    )
    row = _queued(create_invitation, kind="test-inline")
    delivery.deliver([row.id])
    (attachment,) = sendgrid_api.requests[0]["json"]["attachments"]
    assert attachment["content_id"] == "qr@x" and attachment["disposition"] == "inline"
    assert attachment["type"] == "image/png"


def test_429_honours_retry_after_then_202(app, sendgrid_api, create_invitation):
    row = _queued(create_invitation)
    sendgrid_api.answer(429, {"Retry-After": "7"}, b'{"errors":[{"message":"too many"}]}')
    report = delivery.deliver([row.id])
    assert report.retried[row.id] >= 7
    r = _row(row.id)
    assert r.status == OutboxStatus.queued and "429" in r.last_error
    assert r.next_attempt_at >= utcnow() + timedelta(seconds=6)
    assert delivery.deliver([row.id]).not_claimed == [row.id]  # not before Retry-After
    r.next_attempt_at = utcnow()
    db.session.commit()
    sendgrid_api.answer(202, {"X-Message-Id": "later"})
    assert delivery.deliver([row.id]).sent == [row.id]
    assert len(sendgrid_api.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 413])
def test_client_errors_fail_permanently(app, sendgrid_api, create_invitation, status):
    row = _queued(create_invitation)
    body = json.dumps({"errors": [{"message": "The from address does not match a sender"}]})
    sendgrid_api.answer(status, {}, body.encode())
    assert delivery.deliver([row.id]).failed == [row.id]
    r = _row(row.id)
    assert r.status == OutboxStatus.failed
    assert r.last_error == f"SendGrid {status}: The from address does not match a sender"
    assert r.invitation.email_status == EmailStatus.failed


def test_server_error_and_hanging_server_are_retried(app, sendgrid_api, create_invitation):
    row = _queued(create_invitation)
    sendgrid_api.answer(500, {}, b"oops")
    assert row.id in delivery.deliver([row.id]).retried
    assert "SendGrid 500" in _row(row.id).last_error

    _row(row.id).next_attempt_at = utcnow()
    db.session.commit()
    sendgrid_api.answer(202, {}, b"", delay=5)  # answers long after the 0.5 s timeout
    started = time.monotonic()
    report = delivery.deliver([row.id])
    assert time.monotonic() - started < 3
    assert row.id in report.retried
    assert "unreachable" in _row(row.id).last_error


def test_network_error_is_retried(app, create_invitation):
    from tests.support.smtp import _free_port

    app.config.update(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="k",
        SENDGRID_API_HOST=f"http://127.0.0.1:{_free_port()}",
    )
    row = _queued(create_invitation)
    assert row.id in delivery.deliver([row.id]).retried
    assert "SendGrid unreachable" in _row(row.id).last_error
    close_backends(app)


# --- the Event Webhook -----------------------------------------------------------------------


@pytest.fixture
def signer(app):
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = base64.b64encode(der).decode()

    def sign(body: bytes, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = key.sign(ts.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": ts,
            "Content-Type": "application/json",
        }

    return sign


def _sent_row(create_invitation, **kw):
    inv = create_invitation(**kw).invitation
    row = queue_email("invitation", invitation=inv)
    row.status = OutboxStatus.sent
    row.provider_message_id = f"msg{row.id}"
    db.session.commit()
    delivery.refresh_email_status([inv.id])
    db.session.commit()
    return row


def _event(row, event, sg_id, **extra):
    return {
        "email": row.to_address,
        "timestamp": int(time.time()),
        "event": event,
        "sg_event_id": sg_id,
        "sg_message_id": f"msg{row.id}.filterdrecv-1-2",
        "outgoing_id": str(row.id),
        **extra,
    }


def _post(client, items, headers, url="/webhooks/sendgrid"):
    body = json.dumps(items).encode()
    return client.post(url, data=body, headers=headers(body) if callable(headers) else headers)


def test_webhook_moves_statuses_and_dedupes(app, client, signer, create_invitation):
    row = _sent_row(create_invitation)
    assert row.invitation.email_status == EmailStatus.sent
    items = [_event(row, "processed", "e0"), _event(row, "delivered", "e1")]
    resp = _post(client, items, signer)
    assert resp.status_code == 200 and resp.json["recorded"] == 2
    r = _row(row.id)
    assert r.delivery_status == DeliveryStatus.delivered
    assert r.invitation.email_status == EmailStatus.delivered
    # SendGrid retries the same POST: nothing new
    again = _post(client, items, signer, url="/api/v1/webhooks/sendgrid")
    assert again.status_code == 200 and again.json == {
        "recorded": 0,
        "duplicates": 2,
        "unmatched": 0,
        "ignored": 0,
    }
    # a late "deferred" does not undo "delivered"
    _post(client, [_event(row, "deferred", "e2")], signer)
    assert _row(row.id).invitation.email_status == EmailStatus.delivered
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryEvent)) == 3


def test_hard_bounce_flags_the_contact_and_dropped_fails(
    app, client, signer, create_invitation, create_contact
):
    bounced = _sent_row(create_invitation)
    blocked = _sent_row(create_invitation)
    dropped = _sent_row(create_invitation)
    # matched by sg_message_id alone (no custom args)
    item = _event(bounced, "bounce", "b1", type="bounce", reason="550 5.1.1 unknown user")
    del item["outgoing_id"]
    resp = _post(
        client,
        [
            item,
            _event(blocked, "bounce", "b2", type="blocked", reason="421 try later"),
            _event(dropped, "dropped", "d1", reason="Bounced Address"),
        ],
        signer,
    )
    assert resp.status_code == 200 and resp.json["recorded"] == 3
    b = _row(bounced.id)
    assert b.invitation.email_status == EmailStatus.bounced
    assert b.invitation.contact.email_bounced_at is not None
    assert "unknown user" in b.invitation.contact.email_bounce_reason
    k = _row(blocked.id)
    assert k.invitation.email_status == EmailStatus.bounced
    assert k.invitation.contact.email_bounced_at is None  # a block is not a dead address
    d = _row(dropped.id)
    assert d.delivery_status == DeliveryStatus.dropped
    assert d.invitation.email_status == EmailStatus.failed


def test_webhook_refuses_unsigned_tampered_and_stale(app, client, signer, create_invitation):
    row = _sent_row(create_invitation)
    items = [_event(row, "delivered", "x1")]
    body = json.dumps(items).encode()
    headers = signer(body)
    tampered = body.replace(b"delivered", b"bounce")
    cases = {
        "unsigned": (body, {"Content-Type": "application/json"}),
        "tampered": (tampered, headers),
        "stale": (body, signer(body, timestamp=int(time.time()) - 3600)),
        "future": (body, signer(body, timestamp=int(time.time()) + 3600)),
        "garbage": (body, {**headers, "X-Twilio-Email-Event-Webhook-Signature": "%%%"}),
    }
    for name, (data, hdrs) in cases.items():
        resp = client.post("/webhooks/sendgrid", data=data, headers=hdrs)
        assert resp.status_code == 401, name
        assert resp.json["error"]["code"] == "invalid_signature", name
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryEvent)) == 0
    assert _row(row.id).delivery_status is None
    # correctly signed but not JSON, or not a list
    assert client.post("/webhooks/sendgrid", data=b"{", headers=signer(b"{")).status_code == 400
    assert client.post("/webhooks/sendgrid", data=b"{}", headers=signer(b"{}")).status_code == 422
    # not configured: refused
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = None
    assert client.post("/webhooks/sendgrid", data=body, headers=headers).status_code == 401
