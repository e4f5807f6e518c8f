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
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ORGANISATIONS = 1_400
CONTACTS_PER_ORG = 50
INVITATIONS = 1_000_000
CHECKINS = 600_000
EVENTS = 2_600
YEARS = 5
SEED = 20240301

STATUSES = (
    ("accepted", 0.55),
    ("declined", 0.15),
    ("tentative", 0.05),
    ("pending", 0.15),
    ("waitlisted", 0.03),
    ("revoked", 0.04),
    ("walk_in", 0.03),
)
ATTEND = {"accepted": 0.9, "tentative": 0.45, "walk_in": 1.0, "pending": 0.06, "declined": 0.02}
KINDS = ("roundtable", "forum", "workshop", "peer_visit", "training", "study_visit", "meeting")
LEVELS = ("local", "regional", "national", "international")
#: ISO 3166-2 codes of the 81 Turkish provinces (the directory stores codes)
PROVINCES = [f"TR-{n:02d}" for n in range(1, 82)]


# -- data ----------------------------------------------------------------------------------


class World:
    """Every row of the scratch database, made deterministically from SEED."""

    def __init__(self, now: datetime) -> None:
        rng = random.Random(SEED)
        self.now = now
        self.organisations: list[tuple] = []
        self.memberships: list[tuple[int, int]] = []
        for code, name in (
            ("TBB", "Türkiye Belediyeler Birliği"),
            ("MBB", "Marmara BB"),
            (
                "CBB",
                "Çukurova BB",
            ),
        ):
            oid = len(self.organisations) + 1
            self.organisations.append((oid, name, "union", code, "TR", "TR-06"))
        for n in range(len(self.organisations) + 1, ORGANISATIONS + 1):
            country = "TR" if n % 20 else rng.choice(("LB", "SE", "JO"))
            kind = "municipality" if n % 10 else "ngo"
            province = rng.choice(PROVINCES)  # drawn for every row: the same world as before
            self.organisations.append(
                (
                    n,
                    f"Belediye {n:04d} Şişli",
                    kind,
                    None,
                    country,
                    province if country == "TR" else None,
                )
            )
            if kind == "municipality" and country == "TR":
                self.memberships.append((n, 1))
                if rng.random() < 0.25:
                    self.memberships.append((n, rng.choice((2, 3))))
        self.contacts = []
        for org in range(1, ORGANISATIONS + 1):
            for _k in range(CONTACTS_PER_ORG):
                cid = len(self.contacts) + 1
                self.contacts.append(
                    (
                        cid,
                        f"Kişi {cid}",
                        org,
                        rng.choice(("female", "male", "female", "male", "undisclosed")),
                        rng.choice(
                            ("elected_official", "municipal_staff", "municipal_staff", "academic")
                        ),
                    )
                )
        start = now - timedelta(days=365 * YEARS)
        span = (now + timedelta(days=60) - start).total_seconds()
        self.events = []
        for eid in range(1, EVENTS + 1):
            begins = start + timedelta(seconds=rng.random() * span)
            begins = begins.replace(minute=0, second=0, microsecond=0)
            days = 2 if rng.random() < 0.2 else 1
            ends = begins + timedelta(days=days - 1, hours=8)
            status = "cancelled" if rng.random() < 0.03 else "published"
            self.events.append(
                (
                    eid,
                    f"Etkinlik {eid}",
                    rng.choice(KINDS),
                    rng.choice(LEVELS),
                    status,
                    begins,
                    ends,
                    days,
                )
            )
        self.rng = rng

    def invitations(self) -> Iterator[tuple]:
        """(id, event_id, contact_id, organisation_id, status, is_walk_in) × 1,000,000."""
        rng = self.rng
        per_event = INVITATIONS // EVENTS
        extra = INVITATIONS - per_event * EVENTS
        names = [s for s, _w in STATUSES]
        weights = [w for _s, w in STATUSES]
        iid = 0
        for index, event in enumerate(self.events):
            count = per_event + (1 if index < extra else 0)
            for contact in rng.sample(range(1, len(self.contacts) + 1), count):
                iid += 1
                status = rng.choices(names, weights)[0]
                walk_in = status == "walk_in"
                org = self.contacts[contact - 1][2]
                if rng.random() < 0.01:  # moved since: counted where they were
                    org = rng.randint(4, ORGANISATIONS)
                yield (iid, event[0], contact, org, "pending" if walk_in else status, walk_in)

    def checkins(self, invitations: list[tuple]) -> list[tuple]:
        """(invitation_id, event_id, day) × exactly CHECKINS, for events that have begun."""
        rng = self.rng
        events = {e[0]: e for e in self.events}
        candidates = []
        for iid, event_id, _contact, _org, status, walk_in in invitations:
            event = events[event_id]
            if event[5] > self.now:
                continue
            kind = "walk_in" if walk_in else status
            if rng.random() >= ATTEND.get(kind, 0):
                continue
            first = event[5].date()
            candidates.append((iid, event_id, first))
            if event[7] == 2 and rng.random() < 0.85:
                candidates.append((iid, event_id, first + timedelta(days=1)))
        rng.shuffle(candidates)
        if len(candidates) < CHECKINS:
            raise SystemExit(f"only {len(candidates)} check-in candidates; raise ATTEND")
        return candidates[:CHECKINS]


# -- loading -------------------------------------------------------------------------------


def _migrate(url: str):
    from flask_migrate import upgrade

    from reslog_events import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "EMBEDDED_WORKER": False}
    )
    with app.app_context():
        upgrade()
    return app


def _rows(world: World, invitations: list[tuple], checkins: list[tuple]):
    now = world.now
    orgs = [
        (oid, name, name.lower(), f"{oid:06d}", kind, code, country, province, now, now)
        for oid, name, kind, code, country, province in world.organisations
    ]
    contacts = [
        (cid, name, name.lower(), f"{cid:08d}", org, role, gender, "tr", now, now)
        for cid, name, org, gender, role in world.contacts
    ]
    events = [
        (
            eid,
            title,
            kind,
            level,
            status,
            begins,
            ends,
            "Europe/Istanbul",
            "[]",
            "",
            False,
            0,
            now,
            now,
        )
        for eid, title, kind, level, status, begins, ends, _days in world.events
    ]
    invs = [
        (
            iid,
            eid,
            cid,
            org,
            status,
            "sent",
            f"u{iid:031d}",
            f"t{iid:063d}",
            "x",
            f"c{iid:063d}",
            "x",
            walk_in,
            now,
            now,
            "[]",
            "[]",
        )
        for iid, eid, cid, org, status, walk_in in invitations
    ]
    checks = [
        (n, eid, iid, day, datetime(day.year, day.month, day.day, 7, tzinfo=UTC), "", "scan", now)
        for n, (iid, eid, day) in enumerate(checkins, start=1)
    ]
    return {
        "organisations": (
            "id, name, search_key, sort_key, kind, code, country, province, created_at, updated_at",
            orgs,
        ),
        "union_memberships": ("organisation_id, union_id", world.memberships),
        "contacts": (
            "id, full_name, search_key, sort_key, organisation_id, role_category, gender, "
            "language, created_at, updated_at",
            contacts,
        ),
        "events": (
            "id, title, kind, level, status, starts_at, ends_at, timezone, languages, "
            "description, is_public, sequence, created_at, updated_at",
            events,
        ),
        "invitations": (
            "id, event_id, contact_id, organisation_id, status, email_status, uid, token_hash, "
            "token_sealed, checkin_code_hash, checkin_code_sealed, is_walk_in, invited_at, "
            "updated_at, diet_choices, access_choices",
            invs,
        ),
        "checkins": (
            "id, event_id, invitation_id, day, checked_in_at, gate, method, created_at",
            checks,
        ),
    }


def load_postgres(url: str, tables: dict) -> None:
    """COPY every table; the fact triggers are switched off for the load and the facts
    rebuilt in one INSERT … SELECT (as one would for any bulk import)."""
    import psycopg

    conninfo = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo) as conn:
        conn.execute("ALTER TABLE invitations DISABLE TRIGGER attendance_facts_of_invitation")
        conn.execute("ALTER TABLE checkins DISABLE TRIGGER attendance_facts_of_checkin")
        for table, (columns, rows) in tables.items():
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        conn.execute("ALTER TABLE invitations ENABLE TRIGGER attendance_facts_of_invitation")
        conn.execute("ALTER TABLE checkins ENABLE TRIGGER attendance_facts_of_checkin")
        for table in ("organisations", "contacts", "events", "invitations", "checkins"):
            conn.execute(
                f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        conn.commit()
    _rebuild(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def load_sqlite(url: str, tables: dict) -> None:
    """executemany in one transaction; the triggers fill the facts as rows arrive."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        for table, (columns, rows) in tables.items():
            marks = ", ".join("?" for _c in columns.split(","))
            prepared = [
                tuple(
                    v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                    if isinstance(v, datetime)
                    else v.isoformat()
                    if isinstance(v, date)
                    else v
                    for v in row
                )
                for row in rows
            ]
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def _rebuild(url: str) -> None:
    app = _app_for(url)
    from reslog_events.extensions import db
    from reslog_events.reports.operations import rebuild_attendance_facts

    with app.app_context():
        rebuild_attendance_facts()
        db.session.commit()


_APPS: dict[str, object] = {}


def _app_for(url: str):
    from reslog_events import create_app

    if url not in _APPS:
        _APPS[url] = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "EMBEDDED_WORKER": False}
        )
    return _APPS[url]


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
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
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
