"""CPU per check-in scan, in-process: where the web app's time goes, without gunicorn or wall
time (which depends on who else uses the machine).

    .venv/bin/python -m bench.checkin_profile                  # CPU ms per scan, app and database
    .venv/bin/python -m bench.checkin_profile --profile 25     # plus cProfile's top 25 functions

Loads a scratch PostgreSQL database like `bench.checkin` (one forum, `--invitees` accepted
invitees, a door-staff token), warms the app up with unknown codes, then calls the WSGI app
directly (a gunicorn-like environ, no test client) for every code once plus `--duplicates`
second scans, in one thread. It reports the process's CPU time per scan and the PostgreSQL
backend's, and checks the answers (201 `ok` / 409 `already_checked_in`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
import uuid
from collections import Counter

from .checkin import load
from .common import BASE_URL, cpu_seconds, create_database


def environ(path: str, token: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": "application/json",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def post(app, path: str, token: str, body: bytes) -> tuple[int, bytes]:
    status: list[str] = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    chunks = app(environ(path, token, body), start_response)
    try:
        data = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return int(status[0].split()[0]), data


def backend_pids(app) -> list[int]:
    from reslog_events.extensions import db

    with app.app_context():
        engine = db.engine
        with engine.connect() as conn:
            name = conn.exec_driver_sql("SELECT current_database()").scalar()
            pids = conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = %(n)s", {"n": name}
            ).scalars()
            return list(pids)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invitees", type=int, default=1500)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    args = parser.parse_args()

    from reslog_events import create_app

    secret = uuid.uuid4().hex
    database_url, drop = create_database(BASE_URL)
    try:
        token, [(event_id, codes), (warm_id, _)] = load(database_url, [args.invitees, 1], secret)
        os.environ.update(DATABASE_URL=database_url, SECRET_KEY=secret, REDIS_URL="")
        app = create_app()
        rng = random.Random(5)
        scans = codes + rng.sample(codes, int(len(codes) * args.duplicates))
        rng.shuffle(scans)
        bodies = [
            json.dumps({"code": c, "gate": rng.choice("ABCD"), "nonce": uuid.uuid4().hex}).encode()
            for c in scans
        ]
        warm_path = f"/api/v1/events/{warm_id}/checkins"
        for n in range(300):
            body = json.dumps({"code": f"WARM-{n}", "gate": "W", "nonce": uuid.uuid4().hex})
            post(app, warm_path, token, body.encode())
        path = f"/api/v1/events/{event_id}/checkins"
        answers: Counter = Counter()
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        db_pids = backend_pids(app)
        db_before, cpu_before, wall = cpu_seconds(db_pids), time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for body in bodies:
            status, data = post(app, path, token, body)
            answers[(status, json.loads(data).get("result"))] += 1
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall
        db_cpu = cpu_seconds(db_pids) - db_before
    finally:
        from reslog_events.extensions import db

        try:
            with app.app_context():
                db.engine.dispose()
        except NameError:
            pass
        drop()
    n = len(bodies)
    print(f"{n} scans: {dict(answers)}")
    print(
        f"CPU per scan: {cpu / n * 1000:.2f} ms web app{' (profiled)' if profiler else ''}, "
        f"{db_cpu / n * 1000:.2f} ms PostgreSQL; wall {wall / n * 1000:.2f} ms; "
        f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.profile)
    expected = Counter({(201, "ok"): len(codes), (409, "already_checked_in"): n - len(codes)})
    if answers != expected:
        sys.exit(f"unexpected answers: {dict(answers)}")


if __name__ == "__main__":
    main()
