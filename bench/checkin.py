"""Benchmark of the door: many phones posting check-ins to gunicorn + PostgreSQL at once.

    .venv/bin/python -m bench.checkin                         # defaults below
    .venv/bin/python -m bench.checkin --clients 64 --invitees 8000 --workers 3

Creates a scratch PostgreSQL database (`reslog_bench_checkin_<random>` on BENCH_POSTGRES_URL,
default postgresql+psycopg://postgres@127.0.0.1/postgres), builds the schema with the
migrations, loads one forum with N accepted invitees and a door-staff API token, and starts
gunicorn on a free port against it. Then `--clients` connections (HTTP/1.1 keep-alive, one
asyncio loop in this process) post every invitee's code once, plus a share of second scans of
the same codes at other gates (`--duplicates`), all shuffled so that a duplicate may race its
original. It reports scans per second and the latency percentiles, and verifies from the
database that nothing was lost and nobody was checked in twice: exactly one check-in per
invitee, one check-in-log row per request, and every answer `ok` or `already_checked_in` as
expected. The scratch database is dropped afterwards (unless --keep).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres")


# -- the scratch database --------------------------------------------------------------------


def create_database(base_url: str) -> tuple[str, callable]:
    url = sa.engine.make_url(base_url)
    name = f"reslog_bench_checkin_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def load(database_url: str, invitees: int, secret: str) -> tuple[int, str, list[str]]:
    """Migrate, then one published forum with `invitees` accepted invitations; returns
    (event id, staff token, the invitees' QR codes)."""
    from flask_migrate import upgrade

    from reslog_events import create_app
    from reslog_events.auth.models import Role
    from reslog_events.auth.operations import create_token, create_user
    from reslog_events.core.columns import utcnow
    from reslog_events.directory.models import Contact, Organisation, OrganisationKind
    from reslog_events.events.models import Event, EventKind, EventLevel, EventStatus
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.invitations.operations import build_invitation

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secret})
    with app.app_context():
        upgrade()
        staff = create_user("door@bench.test", Role.staff)
        token = create_token(staff)
        orgs = [
            Organisation(name=f"Belediye {n:03d}", kind=OrganisationKind.municipality)
            for n in range(1, 101)
        ]
        db.session.add_all(orgs)
        now = utcnow()
        event = Event(
            title="Benchmark forum",
            kind=EventKind.forum,
            level=EventLevel.national,
            status=EventStatus.published,
            starts_at=now.replace(microsecond=0),
            ends_at=now.replace(microsecond=0) + timedelta(hours=8),
            timezone="Europe/Istanbul",
        )
        db.session.add(event)
        codes = []
        for n in range(invitees):
            contact = Contact(
                full_name=f"Katılımcı {n:05d} Şahin",
                email=f"guest{n}@bench.test",
                organisation=orgs[n % len(orgs)],
            )
            new = build_invitation(event, contact, status=InvitationStatus.accepted)
            codes.append(new.checkin_code)
            if n % 1000 == 999:
                db.session.flush()
        db.session.commit()
        return event.id, token, codes


# -- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, secret: str, port: int, args) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret,
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--keep-alive",
        "30",
        "reslog_events:create_app()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not listen within 30 s")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


# -- the phones --------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


async def phone(port: int, path: str, token: str, bodies: list[bytes], next_index, tally: Tally):
    """One keep-alive connection posting scans from the shared list until it is empty."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nAccept: application/json\r\n"
    ).encode()
    try:
        while (i := next_index()) is not None:
            body = bodies[i]
            started = time.perf_counter()
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
    port: int, path: str, token: str, bodies: list[bytes], clients: int
) -> tuple[Tally, float]:
    tally = Tally()
    position = iter(range(len(bodies)))

    def next_index():
        return next(position, None)

    started = time.perf_counter()
    await asyncio.gather(
        *(phone(port, path, token, bodies, next_index, tally) for _ in range(clients))
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


# -- verification ------------------------------------------------------------------------------


def verify(database_url: str, event_id: int, invitees: int, requests: int) -> dict[str, int]:
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        checkins = conn.scalar(
            sa.text("SELECT count(*) FROM checkins WHERE event_id = :e"), {"e": event_id}
        )
        people = conn.scalar(
            sa.text("SELECT count(DISTINCT invitation_id) FROM checkins WHERE event_id = :e"),
            {"e": event_id},
        )
        doubles = conn.scalar(
            sa.text(
                "SELECT count(*) FROM (SELECT invitation_id, day FROM checkins WHERE event_id = :e "
                "GROUP BY invitation_id, day HAVING count(*) > 1) d"
            ),
            {"e": event_id},
        )
        logged = conn.scalar(
            sa.text("SELECT count(*) FROM scan_log WHERE event_id = :e"), {"e": event_id}
        )
    engine.dispose()
    return {
        "checkins": checkins,
        "people": people,
        "lost": invitees - people,
        "double": doubles + (checkins - people),
        "logged": logged,
        "unlogged": requests - logged,
    }


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    engine = sa.create_engine(BASE_URL)
    with engine.connect() as conn:
        pg = conn.scalar(sa.text("SHOW server_version"))
    engine.dispose()
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, PostgreSQL {pg} "
        f"on the same machine, load generator on the same machine"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invitees", type=int, default=5000)
    parser.add_argument("--duplicates", type=float, default=0.2, help="share of second scans")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    secret = uuid.uuid4().hex
    database_url, drop = create_database(BASE_URL)
    process = None
    try:
        print(f"loading {args.invitees} invitees …", flush=True)
        event_id, token, codes = load(database_url, args.invitees, secret)
        port = free_port()
        process = start_gunicorn(database_url, secret, port, args)
        path = f"/api/v1/events/{event_id}/checkins"
        rng = random.Random(5)
        # Warm-up: unknown codes (each worker connects to the database, imports, caches).
        warm = [
            json.dumps({"code": f"WARM-{n}", "gate": "W", "nonce": uuid.uuid4().hex}).encode()
            for n in range(400)
        ]
        asyncio.run(drive(port, path, token, warm, args.clients))
        bodies = scan_bodies(codes, args.duplicates, rng)
        print(f"posting {len(bodies)} scans over {args.clients} connections …", flush=True)
        tally, elapsed = asyncio.run(drive(port, path, token, bodies, args.clients))
        checks = verify(database_url, event_id, len(codes), len(bodies) + len(warm))
    finally:
        if process is not None:
            stop(process)
        if not args.keep:
            drop()

    duplicates = len(bodies) - len(codes)
    expected = Counter({(201, "ok"): len(codes), (409, "already_checked_in"): duplicates})
    lat = tally.latencies
    rate = len(lat) / elapsed
    p50, p90, p99 = (percentile(lat, q) * 1000 for q in (0.5, 0.9, 0.99))
    answers_ok = tally.answers == expected and not tally.errors
    print()
    print(f"machine: {machine()}")
    print(
        f"gunicorn: {args.workers} workers × {args.threads} threads ({args.worker_class}); "
        f"{args.clients} concurrent connections; {len(codes)} invitees, {duplicates} second scans"
    )
    print()
    print(
        "| scans | seconds | scans/s | p50 ms | p90 ms | p99 ms | max ms | lost | double "
        "| answers as expected |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {len(lat)} | {elapsed:.1f} | {rate:.0f} | {p50:.1f} | {p90:.1f} | {p99:.1f} | "
        f"{max(lat) * 1000:.0f} | {checks['lost']} | {checks['double']} | "
        f"{'yes' if answers_ok else 'NO'} |"
    )
    print()
    print(f"answers: {dict(tally.answers)}; errors: {len(tally.errors)}; database: {checks}")
    if not answers_ok or checks["lost"] or checks["double"] or checks["unlogged"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
