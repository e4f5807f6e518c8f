"""A loopback SMTP sink for the load test and the drills: it accepts every message (or answers
every one with a chosen error, e.g. `421`, to play a provider in trouble) and appends one JSON
line per message it accepted to a log, so that what arrived survives the sink's own restarts.

    .venv/bin/python -m bench.sink --port 2525 --log /tmp/sink.jsonl
    .venv/bin/python -m bench.sink --port 2525 --log /tmp/sink.jsonl --reject "421 4.3.2 Busy"

Each line: {"id": "<X-RESLOG-Outbox-Id>", "kind": "<X-RESLOG-Kind>", "to": "...", "at": <unix>}.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import threading
import time

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
