"""`MAIL_BACKEND=smtp`: SMTP with one reused connection per worker thread, STARTTLS when set."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
from typing import Any

from ..compose import ComposedEmail
from . import PermanentMailError, TransientMailError

#: seconds to wait for the server on connect and on every command
TIMEOUT = 30


class SmtpBackend:
    name = "smtp"

    def __init__(self, config: dict[str, Any]) -> None:
        self.host = config["SMTP_HOST"]
        self.port = int(config["SMTP_PORT"])
        self.username = config.get("SMTP_USERNAME")
        self.password = config.get("SMTP_PASSWORD")
        self.starttls = bool(config.get("SMTP_STARTTLS"))
        self.timeout = float(config.get("SMTP_TIMEOUT", TIMEOUT))
        self._local = threading.local()
        self._all: set[smtplib.SMTP] = set()
        self._lock = threading.Lock()

    # -- connection per thread ----------------------------------------------------------------
    def _connect(self) -> smtplib.SMTP:
        conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            conn.ehlo()
            if self.starttls:
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if self.username:
                conn.login(self.username, self.password or "")
        except BaseException:
            _quietly_close(conn)
            raise
        with self._lock:
            self._all.add(conn)
        return conn

    def _connection(self) -> smtplib.SMTP:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with self._lock:
                self._all.discard(conn)
            _quietly_close(conn)

    # -- sending ------------------------------------------------------------------------------
    def send(self, message: ComposedEmail) -> str | None:
        data = message.as_bytes()  # (checks and encodes the recipient: AddressError)
        envelope = (message.envelope_from, [message.envelope_to])
        # A reused connection may have been closed by the server meanwhile: one fresh retry.
        for attempt in (1, 2):
            conn = self._connect_or_wait()
            try:
                refused = conn.sendmail(*envelope, data)
            except smtplib.SMTPServerDisconnected as exc:
                self._drop()
                if attempt == 2:
                    raise TransientMailError(f"SMTP server disconnected: {exc}") from None
                continue
            except smtplib.SMTPRecipientsRefused as exc:
                self._reset()
                code, reply = next(iter(exc.recipients.values()))
                raise _classify(code, reply, "recipient refused") from None
            except smtplib.SMTPResponseException as exc:
                # SMTPSenderRefused, SMTPDataError, SMTPAuthenticationError, …
                self._reset()
                raise _classify(exc.smtp_code, exc.smtp_error, type(exc).__name__) from None
            except smtplib.SMTPNotSupportedError as exc:
                self._drop()
                raise PermanentMailError(f"SMTP server: {exc}") from None
            except (OSError, smtplib.SMTPException) as exc:
                # connection refused, timeouts, TLS failures, unexpected replies
                self._drop()
                reason = f"SMTP connection failed: {exc or type(exc).__name__}"
                raise TransientMailError(reason) from None
            if refused:
                code, reply = next(iter(refused.values()))
                raise _classify(code, reply, "recipient refused")
            return message.message_id
        return None  # pragma: no cover - the loop returns or raises

    def _connect_or_wait(self) -> smtplib.SMTP:
        """The thread's connection. A server that cannot be reached or refuses the greeting,
        STARTTLS or the login is a problem of the server or of the settings, never of the message:
        the mail waits for its next attempt (with the reason in the outbox row)."""
        try:
            return self._connection()
        except smtplib.SMTPResponseException as exc:
            text = _text(exc.smtp_error)
            raise TransientMailError(
                f"SMTP {exc.smtp_code} on connect ({type(exc).__name__}): {text}"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientMailError(
                f"SMTP connection failed: {exc or type(exc).__name__}"
            ) from None

    def _reset(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            return
        try:
            conn.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def close(self) -> None:
        """Close every thread's connection (worker shutdown)."""
        with self._lock:
            conns, self._all = list(self._all), set()
        for conn in conns:
            _quietly_close(conn)
        self._local = threading.local()


#: 5xx replies that mean "log in first" / "wrong login" (RFC 4954): the settings, not the message
_AUTH_CODES = frozenset({530, 534, 535, 538})


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _classify(code: int, reply: bytes | str, what: str) -> TransientMailError | PermanentMailError:
    reason = f"SMTP {code} ({what}): {_text(reply)}".strip()
    if 400 <= code < 500 or code in _AUTH_CODES:
        return TransientMailError(reason)
    return PermanentMailError(reason)


def _quietly_close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        with contextlib.suppress(OSError):
            conn.close()
