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
import random
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

from bench.checkin_phones import Tally, drive, percentile, scan_bodies
from bench.common import (
    BASE_URL,
    cpu_seconds,
    create_database,
    free_port,
    machine,
    server_pids,
    stop,
)

ROOT = Path(__file__).resolve().parent.parent
LOAD_BEFORE = ""


# -- the scratch database --------------------------------------------------------------------


def load(
    database_url: str, sizes: list[int], secret: str
) -> tuple[str, list[tuple[int, list[str]]]]:
    """Migrate, then one published forum per size with that many accepted invitations; returns
    the staff token and, per forum, (event id, the invitees' QR codes)."""
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
        now = utcnow().replace(microsecond=0)
        forums, n = [], 0
        for number, size in enumerate(sizes, 1):
            event = Event(
                title=f"Benchmark forum {number}",
                kind=EventKind.forum,
                level=EventLevel.national,
                status=EventStatus.published,
                starts_at=now,
                ends_at=now + timedelta(hours=8),
                timezone="Europe/Istanbul",
            )
            db.session.add(event)
            codes = []
            for _ in range(size):
                n += 1
                contact = Contact(
                    full_name=f"Katılımcı {n:05d} Şahin",
                    email=f"guest{n}@bench.test",
                    organisation=orgs[n % len(orgs)],
                )
                codes.append(
                    build_invitation(event, contact, status=InvitationStatus.accepted).checkin_code
                )
                if n % 1000 == 0:
                    db.session.flush()
            forums.append((event, codes))
        db.session.commit()
        return token, [(event.id, codes) for event, codes in forums]


# -- gunicorn ----------------------------------------------------------------------------------


def start_gunicorn(database_url: str, secret: str, port: int, args) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
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


def calibration() -> str:
    """How fast this machine runs plain Python right now (best of 5): about 10 ms of wall time
    on a quiet, current x86 core. On a shared machine wall time grows with the load."""
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        sum(range(1_000_000))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"sum(range(10**6)) took {min(walls) * 1000:.0f} ms wall, {min(cpus) * 1000:.0f} ms CPU"


@dataclass
class Phase:
    name: str
    clients: int
    rate: float | None
    event_id: int
    codes: list[str]
    bodies: list[bytes] = field(default_factory=list)
    tally: Tally | None = None
    elapsed: float = 0.0
    checks: dict[str, int] = field(default_factory=dict)
    #: CPU seconds spent during the run: web app + database, and this load generator
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    client_cpu: float = 0.0

    def cpu_ms(self) -> tuple[float, float, float]:
        """CPU milliseconds per scan: web app, database, load generator."""
        n = len(self.tally.latencies)
        return tuple(cpu / n * 1000 for cpu in (self.app_cpu, self.db_cpu, self.client_cpu))

    @property
    def passed(self) -> bool:
        duplicates = len(self.bodies) - len(self.codes)
        expected = Counter({(201, "ok"): len(self.codes), (409, "already_checked_in"): duplicates})
        return (
            self.tally.answers == expected
            and not self.tally.errors
            and not (self.checks["lost"] or self.checks["double"] or self.checks["unlogged"])
        )

    def row(self) -> str:
        lat = self.tally.latencies
        p50, p90, p99 = (percentile(lat, q) * 1000 for q in (0.5, 0.9, 0.99))
        offered = f"{self.rate:.0f}/s" if self.rate else "as fast as answered"
        return (
            f"| {self.name} | {self.clients} | {offered} | {len(lat)} | "
            f"{len(lat) / self.elapsed:.0f} | {p50:.1f} | {p90:.1f} | {p99:.1f} | "
            f"{max(lat) * 1000:.0f} | {self.checks['lost']} | {self.checks['double']} | "
            f"{'yes' if self.passed else 'NO'} | {sum(self.cpu_ms()[:2]):.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=500, help="offered scans/s (open loop)")
    parser.add_argument("--seconds", type=float, default=12, help="length of the open loop")
    parser.add_argument("--connections", type=int, default=64, help="for the open loop")
    parser.add_argument("--clients", type=int, default=16, help="back-to-back clients")
    parser.add_argument("--invitees", type=int, default=4000, help="for the back-to-back run")
    parser.add_argument("--duplicates", type=float, default=0.2, help="share of second scans")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    global LOAD_BEFORE
    LOAD_BEFORE = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    speed = calibration()
    secret = uuid.uuid4().hex
    database_url, drop = create_database(BASE_URL)
    process = None
    rated = int(args.rate * args.seconds / (1 + args.duplicates))
    try:
        print(f"loading {args.invitees} + {rated} invitees …", flush=True)
        token, forums = load(database_url, [args.invitees, rated, 1], secret)
        (flat_out, flat_codes), (open_id, open_codes), (warm_id, _) = forums
        phases = [
            Phase("back to back", args.clients, None, flat_out, flat_codes),
            Phase("open loop", args.connections, args.rate, open_id, open_codes),
        ]
        port = free_port()
        process = start_gunicorn(database_url, secret, port, args)
        rng = random.Random(5)
        # Warm-up: unknown codes (each worker connects to the database, compiles, caches).
        warm = [
            json.dumps({"code": f"WARM-{n}", "gate": "W", "nonce": uuid.uuid4().hex}).encode()
            for n in range(500)
        ]
        asyncio.run(drive(port, f"/api/v1/events/{warm_id}/checkins", token, warm, args.clients))
        for phase in phases:
            phase.bodies = scan_bodies(phase.codes, args.duplicates, rng)
            print(f"{phase.name}: {len(phase.bodies)} scans …", flush=True)
            path = f"/api/v1/events/{phase.event_id}/checkins"
            app_pids, db_pids = server_pids(process.pid, database_url)
            app_before = cpu_seconds(app_pids)
            db_before = {pid: cpu_seconds([pid]) for pid in db_pids}
            client_before = time.process_time()
            phase.tally, phase.elapsed = asyncio.run(
                drive(port, path, token, phase.bodies, phase.clients, phase.rate)
            )
            phase.app_cpu = cpu_seconds(app_pids) - app_before
            # a worker that got its first phone in this run connects only now: count the
            # backends that started during the run too (from zero)
            db_pids = set(db_pids) | set(server_pids(process.pid, database_url)[1])
            phase.db_cpu = sum(cpu_seconds([pid]) - db_before.get(pid, 0.0) for pid in db_pids)
            phase.client_cpu = time.process_time() - client_before
            phase.checks = verify(database_url, phase.event_id, len(phase.codes), len(phase.bodies))
    finally:
        if process is not None:
            stop(process)
        if not args.keep:
            drop()

    print()
    print(f"machine: {machine()}; {speed}")
    print(
        f"gunicorn: {args.workers} workers × {args.threads} threads ({args.worker_class}); "
        f"{int(args.duplicates * 100)}% of the codes scanned a second time at another gate"
    )
    print()
    print(
        "| run | connections | offered | scans | scans/s | p50 ms | p90 ms | p99 ms | max ms "
        "| lost | double | answers as expected | CPU ms/scan |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for phase in phases:
        print(phase.row())
    print()
    app, database, client = phases[0].cpu_ms()
    print(
        f"CPU per scan (back to back): {app:.2f} ms web app (gunicorn), {database:.2f} ms "
        f"PostgreSQL, {client:.2f} ms load generator; load average before the run "
        f"{LOAD_BEFORE}. With {os.cpu_count()} cores to itself the server could answer about "
        f"{os.cpu_count() * 1000 / (app + database + client):.0f} scans/s."
    )
    print()
    for phase in phases:
        print(f"{phase.name}: {dict(phase.tally.answers)}; database {phase.checks}")
    if not all(phase.passed for phase in phases):
        sys.exit(1)


if __name__ == "__main__":
    main()
