"""A loopback SMTP sink for the load test and the drills: it accepts every message (or answers
every one with a chosen error, e.g. `421`, to play a provider in trouble) and appends one JSON
line per message it accepted to a log, so that what arrived survives the sink's own restarts.

    .venv/bin/python -m bench.sink --port 2525 --log /tmp/sink.jsonl
    .venv/bin/python -m bench.sink --port 2525 --log /tmp/sink.jsonl --reject "421 4.3.2 Busy"

Each line: {"id": "<X-RESLOG-Outbox-Id>", "kind": "<X-RESLOG-Kind>", "to": "...", "at": <unix>}.

`MiniSmtp` is a lighter server for throughput benchmarks (bench/invitations.py), where the sink
runs on the same cores as what is measured: plain SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT) on an asyncio protocol, handing each accepted message to a callback. aiosmtpd costs about
2 ms of CPU per message; this about a tenth of that.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import threading
import time
from collections.abc import Callable

_HEADERS = {
    name: re.compile(rb"^" + name.encode() + rb":[ \t]*(.*?)\r?$", re.MULTILINE | re.IGNORECASE)
    for name in ("X-RESLOG-Outbox-Id", "X-RESLOG-Kind")
}


def _header(content: bytes, name: str) -> str:
    head = content.split(b"\r\n\r\n", 1)[0]
    match = _HEADERS[name].search(head)
    return match.group(1).decode("ascii", "replace").strip() if match else "?"


class Handler:
    def __init__(self, log_path: str, reject: str | None) -> None:
        self.log = open(log_path, "a", buffering=1)  # noqa: SIM115 - kept open while serving
        self.reject = reject
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.reject:
            return self.reject
        line = json.dumps(
            {
                "id": _header(envelope.content, "X-RESLOG-Outbox-Id"),
                "kind": _header(envelope.content, "X-RESLOG-Kind"),
                "to": ",".join(envelope.rcpt_tos),
                "at": time.time(),
            }
        )
        with self.lock:
            self.log.write(line + "\n")
        return "250 OK"


class MiniSmtp(asyncio.Protocol):
    """One SMTP session: commands line by line, the message until `<CRLF>.<CRLF>`.

    loop.create_server(lambda: MiniSmtp(on_message), "127.0.0.1", port)

    `on_message(content, recipients)` gets the message as sent (dot-stuffing left in place) and
    the RCPT addresses; the client gets `250` once it has returned."""

    def __init__(self, on_message: Callable[[bytes, list[str]], None]) -> None:
        self.on_message = on_message
        self.buffer = bytearray()
        self.in_data = False
        self.sender: str | None = None
        self.recipients: list[str] = []

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        start = max(0, len(self.buffer) - 4)
        self.buffer += data
        while self.buffer:
            if self.in_data:
                if self.buffer.startswith(b".\r\n"):
                    content, consumed = b"", 3
                else:
                    end = self.buffer.find(b"\r\n.\r\n", start)
                    if end < 0:
                        return
                    content, consumed = bytes(self.buffer[: end + 2]), end + 5
                del self.buffer[:consumed]
                self.in_data = False
                self.on_message(content, self.recipients)
                self.sender, self.recipients = None, []
                self.transport.write(b"250 OK\r\n")
            else:
                end = self.buffer.find(b"\r\n")
                if end < 0:
                    return
                line = bytes(self.buffer[:end])
                del self.buffer[: end + 2]
                self.transport.write(self._command(line))
                if line[:4].upper() == b"QUIT":
                    self.transport.close()
                    return
            start = 0

    def _command(self, line: bytes) -> bytes:
        verb, _, rest = line.partition(b" ")
        verb = verb.upper()
        if verb == b"EHLO":
            return b"250-sink\r\n250 8BITMIME\r\n"
        if verb == b"HELO":
            return b"250 sink\r\n"
        if verb == b"MAIL":
            self.sender, self.recipients = rest.decode("ascii", "replace"), []
            return b"250 OK\r\n"
        if verb == b"RCPT":
            if self.sender is None:
                return b"503 MAIL first\r\n"
            self.recipients.append(rest.decode("ascii", "replace").partition(":")[2].strip("<> "))
            return b"250 OK\r\n"
        if verb == b"DATA":
            if not self.recipients:
                return b"503 RCPT first\r\n"
            self.in_data = True
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"RSET":
            self.sender, self.recipients = None, []
            return b"250 OK\r\n"
        if verb == b"NOOP":
            return b"250 OK\r\n"
        if verb == b"QUIT":
            return b"221 Bye\r\n"
        return b"500 Unknown command\r\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--reject", default=None, help='e.g. "421 4.3.2 Service busy"')
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    handler = Handler(args.log, args.reject)
    controller = Controller(handler, hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    handler.log.close()


if __name__ == "__main__":
    main()
