"""The SMTP server of bench.invitations and bench.invitations_profile, in a process of its own:
bench.sink.MiniSmtp counting every message it accepts and which outbox rows they were.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import socket
import time
from pathlib import Path

from bench.common import free_port


def _sink(port: int, count, last, stop, report_path: str) -> None:
    """The SMTP server of the run (bench.sink.MiniSmtp): counts every message it accepts and
    which outbox rows they were (X-RESLOG-Outbox-Id), for the duplicates check."""
    import asyncio
    import threading

    from bench.sink import MiniSmtp

    seen: dict[str, int] = {}
    pattern = re.compile(rb"\r\nX-RESLOG-Outbox-Id: (\d+)")

    def accepted(content: bytes, recipients: list[str]) -> None:
        match = pattern.search(content, 0, content.find(b"\r\n\r\n"))
        key = match.group(1).decode() if match else "?"
        seen[key] = seen.get(key, 0) + 1
        with count.get_lock():
            count.value += 1
        last.value = time.time()

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(lambda: MiniSmtp(accepted), "127.0.0.1", port)
    )
    threading.Thread(target=lambda: (stop.wait(), loop.call_soon_threadsafe(loop.stop))).start()
    loop.run_forever()
    server.close()
    loop.close()
    Path(report_path).write_text(json.dumps(seen))


class Sink:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.count = multiprocessing.Value("l", 0)
        self.last = multiprocessing.Value("d", 0.0)
        self.stop = multiprocessing.Event()
        self.report = workdir / "sink.json"
        self.proc = multiprocessing.Process(
            target=_sink,
            args=(self.port, self.count, self.last, self.stop, str(self.report)),
            daemon=True,
        )

    def start(self) -> None:
        self.proc.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")

    def reset(self) -> None:
        with self.count.get_lock():
            self.count.value = 0

    def finish(self) -> dict[str, int]:
        self.stop.set()
        self.proc.join(20)
        return json.loads(self.report.read_text()) if self.report.exists() else {}
