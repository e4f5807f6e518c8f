"""From a rendered email to a message on the wire.

The MIME structure is the one calendar programs expect from an invitation (Google's own):

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8              (quoted-printable)
        multipart/related                      (only when images are inline)
          text/html; charset=utf-8
          image/png; Content-ID=<…>
        text/calendar; method=REQUEST; charset=utf-8
      application/ics; name=invite.ics         (the same entry, for programs that want a file)
      other attachments

Headers are RFC 2047-encoded by the email package (Turkish names survive), bodies are UTF-8.
Each outbox row has one stable Message-ID, so a message that had to be sent twice (see
docs/delivery.md) is recognisable as the same one by receiving servers and mail programs.
"""

from __future__ import annotations

import email.policy
import hashlib
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from ..core.columns import utcnow
from .messages import RenderedEmail

#: lines end in CRLF, long headers are folded, non-ASCII headers are encoded words
POLICY = email.policy.SMTP


class AddressError(ValueError):
    """An address the message cannot be sent to (malformed)."""


@dataclass
class ComposedEmail:
    """Everything a backend needs: envelope, rendered parts, and the MIME form on demand."""

    outgoing_id: int
    sender: str
    to_address: str
    to_name: str | None
    rendered: RenderedEmail
    message_id: str
    #: the calendar method of the text/calendar part (REQUEST, CANCEL…), when there is one
    calendar_method: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    _mime: EmailMessage | None = None

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1]

    @property
    def mime(self) -> EmailMessage:
        if self._mime is None:
            self._mime = build_mime(self)
        return self._mime

    def as_bytes(self) -> bytes:
        return self.mime.as_bytes(policy=POLICY)


def message_id_for(outgoing_id: int, created_at_ts: float, sender: str, secret: str) -> str:
    """A Message-ID that is the same every time this outbox row is sent, and unguessable."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    tag = hashlib.sha256(f"{secret}:{outgoing_id}:{created_at_ts}".encode()).hexdigest()[:16]
    return f"<reslog.{outgoing_id}.{tag}@{domain}>"


def calendar_method(calendar: bytes) -> str:
    """The METHOD line of an iCalendar body (REQUEST when there is none)."""
    for line in calendar.splitlines():
        if line.upper().startswith(b"METHOD:"):
            return line.split(b":", 1)[1].strip().decode("ascii", "replace").upper()
        if line.upper().startswith(b"BEGIN:VEVENT"):
            break
    return "REQUEST"


def _address(name: str | None, address: str) -> Address:
    local, at, domain = address.partition("@")
    if not at or not local or not domain:
        raise AddressError(f"not an email address: {address!r}")
    try:
        return Address(display_name=name or "", username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise AddressError(f"not an email address: {address!r} ({exc})") from None


def _sender(sender: str) -> Address:
    name, address = parseaddr(sender)
    return _address(name, address)


def build_mime(composed: ComposedEmail) -> EmailMessage:
    rendered = composed.rendered
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = rendered.subject
    msg["From"] = _sender(composed.sender)
    msg["To"] = _address(composed.to_name, composed.to_address)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = composed.message_id
    for name, value in {**rendered.headers, **composed.headers}.items():
        msg[name] = value

    msg.set_content(rendered.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    inline = [a for a in rendered.attachments if a.content_id]
    if inline:
        html_part = msg.get_body(preferencelist=("html",))
        for att in inline:
            maintype, _, subtype = att.content_type.partition(";")[0].strip().partition("/")
            html_part.add_related(
                att.data,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{att.content_id}>",
                filename=att.filename,
                disposition="inline",
            )
    if rendered.calendar is not None:
        method = composed.calendar_method or calendar_method(rendered.calendar)
        msg.add_alternative(
            rendered.calendar,
            maintype="text",
            subtype="calendar",
            cte="base64",
            params={"method": method, "charset": "utf-8"},
        )
        msg.add_attachment(
            rendered.calendar,
            maintype="application",
            subtype="ics",
            filename="invite.ics",
            cte="base64",
        )
    for att in rendered.attachments:
        if att.content_id:
            continue
        maintype, _, subtype = att.content_type.partition(";")[0].strip().partition("/")
        msg.add_attachment(att.data, maintype=maintype, subtype=subtype, filename=att.filename)
    # Parts made by add_alternative/add_attachment are EmailMessages and carry their own
    # MIME-Version; it belongs in the top-level header only (RFC 2045).
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]
    return msg
