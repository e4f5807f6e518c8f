"""Benchmark of the invitation pipeline: N invitations (default 10,000) from the API call to the
last message accepted by a local SMTP server, with Redis and two Dramatiq worker processes on
PostgreSQL; then the CPU cost per message of each step (render, calendar, send) measured in one
thread.

    .venv/bin/python -m bench.invitations                    # 10,000 invitations
    .venv/bin/python -m bench.invitations --count 2000 --threads 8

It starts its own redis-server on a free port, its own SMTP sink (bench.sink.MiniSmtp, in a
separate process, counting what it accepts) and creates (and drops) its own PostgreSQL database
next to BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1/postgres). Results
go to stdout as Markdown; docs/benchmarks.md keeps the figures of the last run written down.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import free_port
from bench.invitations_sink import Sink
from bench.invitations_steps import _steps

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


# --- processes and their CPU time ---------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and of its reaped children), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime + cutime + cstime) / TICKS


def tree(pid: int) -> list[int]:
    """The pid and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            children = []
        todo.extend(int(c) for c in children)
    return pids


def tree_cpu(pid: int) -> float:
    return sum(cpu_seconds(p) for p in tree(pid))


def postgres_cpu(dbname: str = "") -> float:
    """CPU of the postgres backends serving `dbname` (their process titles name it), or of
    every postgres process when no name is given."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().decode(errors="replace")
                if title.startswith("postgres") and dbname in title:
                    total += cpu_seconds(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
    return total


def machine() -> dict[str, str]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    redis_version = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True
    ).stdout.split()[2]
    return {
        "cpu": f"{os.cpu_count()} × {model}",
        "python": platform.python_version(),
        "redis": redis_version.removeprefix("v="),
        "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
    }


# --- the run -----------------------------------------------------------------------------------


def app_env(database_url: str, redis_port: int, smtp_port: int, rate: float) -> dict[str, str]:
    """The settings the app and its workers run with in the benchmarks."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": "bench-secret",
        "PUBLIC_BASE_URL": "https://events.example.org",
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "MAIL_RATE_PER_SECOND": str(rate),
        "MAIL_FROM": "RESLOG Etkinlikler <etkinlik@example.org>",
    }


def main() -> None:  # noqa: C901 - a script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rate", type=int, default=100_000, help="MAIL_RATE_PER_SECOND")
    parser.add_argument("--samples", type=int, default=300, help="messages per step measure")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="reslog-bench-"))
    base_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres"
    )
    import sqlalchemy as sa

    url = sa.engine.make_url(base_url)
    dbname = f"reslog_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{dbname}"'))
    database_url = url.set(database=dbname).render_as_string(hide_password=False)

    redis_port = free_port()
    redis_proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
    )
    sink = Sink(workdir)
    sink.start()
    env = app_env(database_url, redis_port, sink.port, args.rate)
    os.environ.update(env)
    workers_proc = None
    try:
        time.sleep(0.3)
        from flask_migrate import upgrade

        from reslog_events import create_app

        app = create_app()
        with app.app_context():
            upgrade()
            token, event_id, contact_ids, warm_event_id = _data(app, args.count)
        log = open(workdir / "workers.log", "wb")  # noqa: SIM115
        workers_proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dramatiq",
                "workers",
                "--processes",
                str(args.processes),
                "--threads",
                str(args.threads),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        # warm-up: both worker processes up (imports, app, templates, VTIMEZONE cache)
        warm = client.post(
            f"/api/v1/events/{warm_event_id}/invitations",
            json={"contact_ids": contact_ids[: 40 * args.processes]},
            headers=headers,
        )
        assert warm.status_code == 202, warm.json
        _wait(lambda: sink.count.value >= 40 * args.processes, 180, "the warm-up")
        time.sleep(1)
        sink.reset()

        load_before = os.getloadavg()[0]
        cpu0 = {
            "workers": tree_cpu(workers_proc.pid),
            "sink": cpu_seconds(sink.proc.pid),
            "redis": cpu_seconds(redis_proc.pid),
            "postgres": postgres_cpu(dbname),
        }
        started = time.time()
        api_cpu0 = time.process_time()
        resp = client.post(
            f"/api/v1/events/{event_id}/invitations",
            json={"contact_ids": contact_ids},
            headers=headers,
        )
        api_seconds = time.time() - started
        api_cpu = time.process_time() - api_cpu0
        assert resp.status_code == 202 and resp.json["created"] == args.count, resp.json
        _wait(lambda: sink.count.value >= args.count, 1800, f"{args.count} messages")
        finished = sink.last.value
        cpu1 = {
            "workers": tree_cpu(workers_proc.pid),
            "sink": cpu_seconds(sink.proc.pid),
            "redis": cpu_seconds(redis_proc.pid),
            "postgres": postgres_cpu(dbname),
        }
        wall = finished - started
        received = sink.finish()
        sink_done = True
        # the steps go to a sink of their own (their messages are not part of the run)
        step_sink = Sink(workdir / "steps")
        (workdir / "steps").mkdir()
        step_sink.start()
        try:
            with app.app_context():
                steps = _steps(app, event_id, args.samples, step_sink.port)
        finally:
            step_sink.finish()
    finally:
        if workers_proc is not None:
            os.killpg(workers_proc.pid, 15)
            workers_proc.wait(30)
        redis_proc.terminate()
        redis_proc.wait(10)
        if not locals().get("sink_done"):
            sink.finish()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(workdir, ignore_errors=True)

    duplicates = sum(c - 1 for c in received.values() if c > 1)
    per_msg = {k: (cpu1[k] - cpu0[k]) / args.count * 1000 for k in cpu0}
    facts = machine()
    print(f"\n## Invitations: {args.count} from the API call to the last SMTP accept\n")
    print(
        f"- machine: {facts['cpu']}, Python {facts['python']}, Redis {facts['redis']}, "
        f"load average {load_before:.1f} at the start, {facts['load']} at the end"
    )
    print(
        f"- {args.processes} worker processes × {args.threads} threads, PostgreSQL, "
        f"MAIL_RATE_PER_SECOND={args.rate} (the shared Redis limiter on: slots taken per batch)"
    )
    print(f"- API call (invite {args.count}): {api_seconds:.2f} s wall, {api_cpu:.2f} s CPU")
    print(
        f"- **{args.count / wall:.0f} messages per second** ({wall:.1f} s in all); "
        f"{len(received)} distinct messages received, {duplicates} duplicates\n"
    )
    print("| CPU per message (end to end) | ms |\n|---|---:|")
    for key, label in (
        ("workers", "worker processes"),
        ("postgres", "PostgreSQL (backends of its database)"),
        ("redis", "Redis"),
        ("sink", "SMTP sink (bench.sink.MiniSmtp)"),
    ):
        print(f"| {label} | {per_msg[key]:.2f} |")
    print(f"| API process (the invite call) | {api_cpu / args.count * 1000:.2f} |")
    print("\n| step, one thread (CPU per message) | median ms | mean ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for name, values in steps.items():
        ms = sorted(v * 1000 for v in values)
        p95 = ms[int(len(ms) * 0.95) - 1]
        print(f"| {name} | {statistics.median(ms):.2f} | {statistics.mean(ms):.2f} | {p95:.2f} |")


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def _data(app, count: int):
    """An organiser with a token, the event measured and a warm-up event (both published),
    `count` contacts (tr and en, Turkish names)."""
    from datetime import timedelta

    import sqlalchemy as sa

    from reslog_events.auth.models import Role
    from reslog_events.auth.operations import create_token, create_user
    from reslog_events.core.columns import utcnow
    from reslog_events.core.turkish import fold, sort_key
    from reslog_events.directory.models import Contact, Organisation, OrganisationKind
    from reslog_events.events.models import Event, EventKind, EventLevel, EventStatus
    from reslog_events.extensions import db

    user = create_user("bench@example.org", Role.organiser, password="bench-password-123")
    token = create_token(user)
    org = Organisation(name="Şişli Belediyesi", kind=OrganisationKind.municipality, country="TR")
    db.session.add(org)
    db.session.flush()
    names = ["Ayşe Sarıçam", "Şükrü Reyhanlı", "Gülşen Öztürk", "İbrahim Çağlar", "Jane Doe"]
    rows = []
    for i in range(count):
        name = f"{names[i % len(names)]} {i}"
        rows.append(
            {
                "full_name": name,
                "search_key": fold(name),
                "sort_key": sort_key(name),
                "email": f"kisi{i}@example.org",
                "organisation_id": org.id,
                "language": "en" if i % 5 == 4 else "tr",
            }
        )
    db.session.execute(sa.insert(Contact), rows)
    start = utcnow().replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
    events = []
    for title in ("Göç ve Yerel Yönetim Forumu, Şişli", "Isınma"):
        event = Event(
            title=title,
            kind=EventKind.forum,
            level=EventLevel.national,
            status=EventStatus.published,
            starts_at=start,
            ends_at=start + timedelta(hours=7),
            timezone="Europe/Istanbul",
            venue="Kültür Merkezi",
            address="Halaskargazi Cd. 1",
            city="İstanbul",
            country="TR",
            rsvp_deadline=start - timedelta(days=7),
            description="Gündem: açılış, oturumlar, kapanış.",
            organiser=user,
        )
        db.session.add(event)
        events.append(event)
    db.session.commit()
    ids = list(db.session.scalars(sa.select(Contact.id).order_by(Contact.id)))
    return token, events[0].id, ids, events[1].id


if __name__ == "__main__":
    main()
