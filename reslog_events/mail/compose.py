"""From a rendered email to a message on the wire.

The MIME structure is the one calendar programs expect from an invitation (Google's own):

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8              (quoted-printable)
        multipart/related                      (only when images are inline)
          text/html; charset=utf-8             (quoted-printable)
          image/png; Content-ID=<…>
        text/calendar; method=REQUEST; charset=utf-8   (base64)
      application/ics; name=invite.ics         (the same entry, for programs that want a file)
      other attachments

The message is written directly (the structure is fixed), not through `email.message`'s object
model, whose header parsing would be most of the work (docs/benchmarks.md, "Fast paths").
Headers with non-ASCII text are RFC 2047 encoded words (Turkish names survive), file names
RFC 2231, bodies UTF-8 in quoted-printable or base64: the result is 7-bit clean, whatever the
server supports.
The tests parse every message back with the standard library's parser.

Each outbox row has one stable Message-ID, so a message that had to be sent twice (see
docs/delivery.md) is recognisable as the same one by receiving servers and mail programs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass, field
from email.header import Header
from email.utils import encode_rfc2231, format_datetime, formataddr, parseaddr
from functools import cached_property, lru_cache

from ..core.columns import utcnow
from .messages import Attachment, RenderedEmail

CRLF = b"\r\n"


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
    _bytes: bytes | None = None

    @property
    def sender_address(self) -> str:
        return parse_sender(self.sender)[1]

    @property
    def envelope_from(self) -> str:
        """The sender for the SMTP envelope: ASCII, the domain IDNA-encoded."""
        return _envelope_sender(self.sender)

    @cached_property
    def envelope_to(self) -> str:
        """The recipient for the SMTP envelope and the To header: ASCII, the domain IDNA-encoded
        (AddressError if it cannot be sent to)."""
        return ascii_address(self.to_address)

    def as_bytes(self) -> bytes:
        if self._bytes is None:
            self._bytes = build_message(self)
        return self._bytes


@lru_cache(maxsize=16)
def parse_sender(sender: str) -> tuple[str, str]:
    """MAIL_FROM as (name, address); parsed once per value."""
    return parseaddr(sender)


@lru_cache(maxsize=16)
def _envelope_sender(sender: str) -> str:
    return ascii_address(parse_sender(sender)[1])


def message_id_for(outgoing_id: int, created_at_ts: float, sender: str, secret: str) -> str:
    """A Message-ID that is the same every time this outbox row is sent, and unguessable."""
    domain = parse_sender(sender)[1].rpartition("@")[2] or "localhost"
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


# --- headers -----------------------------------------------------------------------------------


def header(name: str, value: str) -> bytes:
    """`Name: value` folded at 78 columns with CRLF, in encoded words when not ASCII."""
    if "\r" in value or "\n" in value:
        value = " ".join(value.split())
    if value.isascii() and len(name) + 2 + len(value) <= 78:
        # what Header() gives for a line that needs neither folding nor encoding (a test
        # compares the two), without its cost: most headers of every message are such lines
        return f"{name}: {value}\r\n".encode("ascii")
    return _encoded_header(name, value)


@lru_cache(maxsize=256)
def _encoded_header(name: str, value: str) -> bytes:
    """A header that needs folding or encoded words; kept for the values messages share (the
    subject of a fan-out in each language)."""
    charset = "us-ascii" if value.isascii() else "utf-8"
    encoded = Header(value, charset, maxlinelen=78, header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}".encode("ascii") + CRLF


def ascii_address(addr: str) -> str:
    """`local@domain` as ASCII, the domain IDNA-encoded: for the envelope and the headers."""
    local, at, domain = addr.strip().rpartition("@")
    if not at or not local or not domain or not local.isascii() or any(c in addr for c in " <>"):
        raise AddressError(f"not an email address this system can send to: {addr!r}")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise AddressError(f"not a valid domain: {domain!r}") from None
    return f"{local}@{domain}"


def address(name: str | None, addr: str) -> str:
    """`"Display Name" <local@domain>` as ASCII: an encoded-word name, an IDNA domain."""
    return formataddr((name or "", ascii_address(addr)), charset="utf-8")


# --- bodies ------------------------------------------------------------------------------------


def _qp(text: str) -> bytes:
    data = text.replace("\r\n", "\n").encode("utf-8")
    return binascii.b2a_qp(data, istext=True).replace(b"\n", CRLF)


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", CRLF)


def _boundary() -> str:
    return f"=_reslog_{secrets.token_hex(12)}"


def _filename(value: str) -> str:
    if value.isascii() and '"' not in value:
        return f'filename="{value}"'
    return f"filename*={encode_rfc2231(value, 'utf-8')}"


def _leaf(content_type: str, encoding: str, body: bytes, extra: list[bytes] | None = None):
    return [
        f"Content-Type: {content_type}".encode(),
        f"Content-Transfer-Encoding: {encoding}".encode(),
        *(extra or []),
    ], body


def _attachment(att: Attachment, *, inline: bool) -> tuple[list[bytes], bytes]:
    media = att.content_type.partition(";")[0].strip()
    extra = [
        f"Content-Disposition: {'inline' if inline else 'attachment'}; "
        f"{_filename(att.filename)}".encode()
    ]
    if att.content_id:
        extra.append(f"Content-ID: <{att.content_id}>".encode())
    return _leaf(media, "base64", _b64(att.data), extra)


def _multipart(subtype: str, parts: list, params: str = "") -> tuple[list[bytes], bytes]:
    boundary = _boundary()
    out = bytearray()
    for headers, body in parts:
        out += b"--" + boundary.encode() + CRLF
        for line in headers:
            out += line + CRLF
        out += CRLF + body
        if not body.endswith(CRLF):
            out += CRLF
    out += b"--" + boundary.encode() + b"--" + CRLF
    return [f'Content-Type: multipart/{subtype}; boundary="{boundary}"{params}'.encode()], bytes(
        out
    )


@lru_cache(maxsize=16)
def _from_header(name: str, sender: str) -> bytes:
    return header("From", address(name, sender))


def build_message(composed: ComposedEmail) -> bytes:
    rendered = composed.rendered
    name, sender = parse_sender(composed.sender)
    text = _leaf('text/plain; charset="utf-8"', "quoted-printable", _qp(rendered.text))
    html = _leaf('text/html; charset="utf-8"', "quoted-printable", _qp(rendered.html))
    inline = [a for a in rendered.attachments if a.content_id]
    if inline:
        html = _multipart(
            "related",
            [html, *(_attachment(a, inline=True) for a in inline)],
            '; type="text/html"',
        )
    alternatives = [text, html]
    files = []
    if rendered.calendar is not None:
        method = composed.calendar_method or calendar_method(rendered.calendar)
        calendar = _b64(rendered.calendar)
        alternatives.append(
            _leaf(f'text/calendar; charset="utf-8"; method={method}', "base64", calendar)
        )
        files.append(
            _leaf(
                'application/ics; name="invite.ics"',
                "base64",
                calendar,
                [b'Content-Disposition: attachment; filename="invite.ics"'],
            )
        )
    files.extend(_attachment(a, inline=False) for a in rendered.attachments if not a.content_id)
    body = _multipart("alternative", alternatives)
    if files:
        body = _multipart("mixed", [body, *files])

    out = bytearray()
    out += _from_header(name, sender)
    out += header("To", formataddr((composed.to_name or "", composed.envelope_to), charset="utf-8"))
    out += header("Subject", rendered.subject)
    out += header("Date", format_datetime(utcnow()))
    out += header("Message-ID", composed.message_id)
    for key, value in {**rendered.headers, **composed.headers}.items():
        out += header(key, value)
    out += b"MIME-Version: 1.0" + CRLF
    for line in body[0]:
        out += line + CRLF
    out += CRLF + body[1]
    return bytes(out)
