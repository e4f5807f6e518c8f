"""The phones of bench.checkin: keep-alive connections in one asyncio loop posting check-in
scans, back to back or each at its due time (open loop), and the shuffled scans they post.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


async def phone(port: int, path: str, token: str, bodies: list[bytes], take, tally: Tally):
    """One keep-alive connection posting the scans it is given until there are no more.
    Latency counts from when a scan was due (open loop), so a server falling behind shows."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nAccept: application/json\r\n"
    ).encode()
    try:
        while (item := await take()) is not None:
            index, due = item
            body = bodies[index]
            started = due if due is not None else time.perf_counter()
            writer.write(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            status_line = await reader.readline()
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            payload = await reader.readexactly(length)
            tally.latencies.append(time.perf_counter() - started)
            status = int(status_line.split()[1])
            try:
                result = json.loads(payload).get("result", "?")
            except ValueError:
                result = "?"
            tally.answers[(status, result)] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except (OSError, asyncio.IncompleteReadError) as exc:
        tally.errors.append(repr(exc))
    finally:
        writer.close()


async def drive(
    port: int, path: str, token: str, bodies: list[bytes], clients: int, rate: float | None = None
) -> tuple[Tally, float]:
    """Post every body over `clients` connections: back to back (rate None: the most the
    server can do), or each at its due time at `rate` scans per second (open loop)."""
    tally = Tally()
    queue: asyncio.Queue = asyncio.Queue()

    async def dispatch() -> None:
        start = time.perf_counter() + 0.05
        for index in range(len(bodies)):
            due = start + index / rate if rate else None
            if due is not None and (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((index, due))
        for _ in range(clients):
            queue.put_nowait(None)

    started = time.perf_counter()
    await asyncio.gather(
        dispatch(), *(phone(port, path, token, bodies, queue.get, tally) for _ in range(clients))
    )
    return tally, time.perf_counter() - started


def scan_bodies(codes: list[str], duplicates: float, rng: random.Random) -> list[bytes]:
    gates = ("A", "B", "C", "D")
    scans = [(code, rng.choice(gates)) for code in codes]
    scans += [(code, rng.choice(gates)) for code in rng.sample(codes, int(len(codes) * duplicates))]
    rng.shuffle(scans)
    return [
        json.dumps({"code": code, "gate": gate, "nonce": uuid.uuid4().hex}).encode()
        for code, gate in scans
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
