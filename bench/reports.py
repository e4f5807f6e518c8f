"""Benchmark of the attendance report on a million invitations.

    .venv/bin/python -m bench.reports                 # PostgreSQL and SQLite
    .venv/bin/python -m bench.reports --only postgresql --runs 9

Creates a scratch database (PostgreSQL `reslog_bench_reports` on BENCH_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1/postgres; SQLite in a temporary file), builds the schema
with the migrations, loads 1,400 organisations, 70,000 contacts, 2,600 events over five years,
1,000,000 invitations and 600,000 check-ins (COPY on PostgreSQL, executemany on SQLite), then
times the report functions the API calls: the per-organisation summary (all five years, and one
year) and the per-month trend. Prints a Markdown table; the scratch database is dropped.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.common import cpu_model
from bench.reports_data import (
    _APPS,
    World,
    _app_for,
    _migrate,
    _rows,
    load_postgres,
    load_sqlite,
)

# -- timing --------------------------------------------------------------------------------


def _backend_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a PostgreSQL backend on this machine (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_reports(url: str, runs: int, now: datetime) -> list[dict]:
    """Per case: wall times (as the API runs it: parallel query on), and CPU times, which a
    busy machine does not inflate: on PostgreSQL the backend's CPU with parallel workers off
    (all the query's work in one process), plus this process's CPU (SQLite runs in it)."""
    from reslog_events.extensions import db
    from reslog_events.reports import queries
    from reslog_events.reports.schemas import AttendanceFilters

    app = _app_for(url)
    last_year = now.date().year - 1
    cases = [
        ("per-organisation summary, all 5 years", {"group_by": "organisation"}),
        (
            f"per-organisation summary, {last_year}",
            {"group_by": "organisation", "from": f"{last_year}-01-01", "to": f"{last_year}-12-31"},
        ),
        (
            f"per-organisation summary, {last_year}-03-15 to {last_year}-09-14 (facts)",
            {
                "group_by": "organisation",
                "from": f"{last_year}-03-15",
                "to": f"{last_year}-09-14",
            },
        ),
        ("per-month trend, all 5 years", {"group_by": "month"}),
        ("per-union summary, all 5 years", {"group_by": "union"}),
        ("dashboard page's data (summary + 4 charts), all 5 years", {"dashboard": True}),
    ]

    def compile_report(params: dict) -> dict:
        if params.get("dashboard"):  # what GET /reports computes before rendering
            from reslog_events.reports.views import _chart_data

            filters = AttendanceFilters()
            table = queries.attendance(filters)
            _chart_data(filters, queries.resolve(filters), table)
            return table
        return queries.attendance(AttendanceFilters.model_validate(params))

    results = []
    with app.app_context(), app.test_request_context("/?lang=en"):
        postgres = db.engine.dialect.name == "postgresql"
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()")) if postgres else None
        db.session.rollback()
        for name, params in cases:
            compile_report(params)  # warm the caches
            db.session.rollback()
            wall, server, client = [], [], []
            load = os.getloadavg()[0]
            for _run in range(runs):
                started = time.perf_counter()
                table = compile_report(params)
                wall.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            for _run in range(runs):
                if postgres:
                    db.session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
                    before = _backend_cpu_seconds(pid)
                cpu = time.process_time()
                compile_report(params)
                client.append((time.process_time() - cpu) * 1000)
                if postgres:
                    server.append((_backend_cpu_seconds(pid) - before) * 1000)
                db.session.rollback()
            results.append(
                {
                    "name": name,
                    "wall": wall,
                    "server_cpu": server,
                    "client_cpu": client,
                    "rows": len(table["rows"]),
                    "load": max(load, os.getloadavg()[0]),
                }
            )
    return results


def machine() -> str:
    cpu = cpu_model("unknown CPU")
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def run_one(
    kind: str, runs: int, now: datetime, world_rows, keep: bool = False
) -> tuple[str, list, dict]:
    if kind == "postgresql":
        base = sa.engine.make_url(
            os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres")
        )
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS reslog_bench_reports WITH (FORCE)")
            conn.exec_driver_sql("CREATE DATABASE reslog_bench_reports")
            version = conn.exec_driver_sql("SHOW server_version").scalar()
        url = base.set(database="reslog_bench_reports").render_as_string(hide_password=False)
        label = f"PostgreSQL {version}"
        cleanup = lambda: _drop_pg(admin)  # noqa: E731
        loader = load_postgres
    else:
        folder = tempfile.mkdtemp(prefix="reslog-bench-")
        url = f"sqlite:///{folder}/bench.sqlite"
        import sqlite3

        label = f"SQLite {sqlite3.sqlite_version}"
        cleanup = lambda: [p.unlink() for p in Path(folder).glob("*")]  # noqa: E731
        loader = load_sqlite
    try:
        _migrate(url)
        started = time.perf_counter()
        loader(url, world_rows)
        load_seconds = time.perf_counter() - started
        counts = _counts(url)
        print(f"{label}: loaded in {load_seconds:.0f} s: {counts}", flush=True)
        if keep:
            print(f"kept: --reuse {url}", flush=True)
        return label, time_reports(url, runs, now), {"load_s": load_seconds, **counts}
    finally:
        _APPS.pop(url, None)
        if not keep:
            cleanup()


def _drop_pg(admin) -> None:
    for app in list(_APPS.values()):
        with app.app_context():
            from reslog_events.extensions import db

            db.engine.dispose()
    _APPS.clear()
    with admin.connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS reslog_bench_reports WITH (FORCE)")
    admin.dispose()


def _counts(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        out = {
            t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()  # noqa: S608
            for t in ("organisations", "events", "invitations", "checkins", "attendance_facts")
        }
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("postgresql", "sqlite"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--reuse", metavar="URL", help="time an already loaded database (from --keep) instead"
    )
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    if args.reuse:
        print(f"\nMachine: {machine()}\n")
        for r in time_reports(args.reuse, args.runs, now):
            print(
                r["name"],
                f"wall {statistics.median(r['wall']):.0f} min {min(r['wall']):.0f}",
                f"db-cpu {statistics.median(r['server_cpu'] or [0]):.0f}",
                f"app-cpu {statistics.median(r['client_cpu']):.0f}",
                f"load {r['load']:.1f}",
            )
        return
    started = time.perf_counter()
    world = World(now)
    invitations = list(world.invitations())
    checkins = world.checkins(invitations)
    rows = _rows(world, invitations, checkins)
    del invitations
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    kinds = [args.only] if args.only else ["postgresql", "sqlite"]
    print(f"\nMachine: {machine()}\n")
    print(
        "| database | query | wall median ms | wall min ms | DB CPU ms (1 process) "
        "| app CPU ms | rows | load avg |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for kind in kinds:
        label, results, _info = run_one(kind, args.runs, now, rows, args.keep)
        for r in results:
            server = f"{statistics.median(r['server_cpu']):.0f}" if r["server_cpu"] else "–"
            print(
                f"| {label} | {r['name']} | {statistics.median(r['wall']):.0f} "
                f"| {min(r['wall']):.0f} | {server} | {statistics.median(r['client_cpu']):.0f} "
                f"| {r['rows']} | {r['load']:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
