"""What several benchmarks share (bench.checkin, bench.checkin_profile and bench.pages; a port
and the CPU model also bench.invitations and bench.reports): the scratch PostgreSQL database
next to BENCH_POSTGRES_URL, a free loopback port, stopping a server's process group, the CPU
time of processes from /proc and which ones serve a database, and the machine in one line.
"""

from __future__ import annotations

import os
import platform
import signal
import socket
import subprocess
import uuid
from pathlib import Path

import sqlalchemy as sa

BASE_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres")


# -- the scratch database --------------------------------------------------------------------


def create_database(base_url: str, prefix: str = "reslog_bench_checkin") -> tuple[str, callable]:
    url = sa.engine.make_url(base_url)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


# -- processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


# -- CPU accounting (the machine may be shared: CPU seconds per scan do not depend on that) ---


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def server_pids(master: int, database_url: str) -> tuple[list[int], list[int]]:
    """gunicorn's workers and the PostgreSQL backends serving the scratch database."""
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                workers.append(int(entry.name))
    engine = sa.create_engine(BASE_URL)
    name = sa.engine.make_url(database_url).database
    with engine.connect() as conn:
        backends = list(
            conn.scalars(
                sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": name}
            )
        )
    engine.dispose()
    return [master, *workers], backends


def cpu_model(unknown: str = "?") -> str:
    """The CPU's model name, from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return unknown


def machine() -> str:
    cpu = cpu_model()
    engine = sa.create_engine(BASE_URL)
    with engine.connect() as conn:
        pg = conn.scalar(sa.text("SHOW server_version"))
    engine.dispose()
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, PostgreSQL {pg} "
        f"on the same machine, load generator on the same machine"
    )
