"""CPU per message of the send worker's code in one thread, in-process: N invitations queued
through the API, then `deliver()` on batches of 25 (as the fan-out's send_emails messages)
against PostgreSQL, a private redis-server (the rate limiter) and the MiniSmtp sink.

    .venv/bin/python -m bench.invitations_profile --count 1000
    .venv/bin/python -m bench.invitations_profile --count 600 --profile cumulative

Prints the worker's CPU per message (this process), PostgreSQL's (the backends of its scratch
database) and the sink's: the figures of docs/benchmarks.md's "what each change gained" table.
Without Dramatiq, threads or a second process, so lower than bench.invitations' worker figure.

    .venv/bin/python -m bench.invitations_profile --count 4000 --ab

`--ab` measures the shared renders kept across batches against their absence (emptied before
each batch, as when they lived one batch) in the same run, batch by batch in turn, so the
machine's changing load falls on both alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench.common import free_port
from bench.invitations import _data, app_env, cpu_seconds, postgres_cpu
from bench.invitations_sink import Sink

BATCH = 25


def main() -> None:  # noqa: PLR0915 - a script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--profile", default=None, help="cProfile sort key (CPU time)")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--ab", action="store_true", help="renders kept and emptied, in turn")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="reslog-invprof-"))
    url = sa.engine.make_url(
        os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres")
    )
    dbname = f"reslog_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{dbname}"'))
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    sink = Sink(workdir)
    sink.start()
    os.environ.update(
        app_env(
            url.set(database=dbname).render_as_string(hide_password=False),
            redis_port,
            sink.port,
            100000,
        )
    )
    try:
        time.sleep(0.3)
        from flask_migrate import upgrade

        from reslog_events import create_app
        from reslog_events.extensions import db
        from reslog_events.invitations.models import Invitation
        from reslog_events.jobs import make_broker
        from reslog_events.mail.delivery import deliver
        from reslog_events.mail.models import OutgoingEmail

        app = create_app()
        app.extensions["dramatiq"] = make_broker(None)  # enqueue into memory: nobody consumes
        with app.app_context():
            upgrade()
            token, event_id, contact_ids, warm_id = _data(app, args.count + 50)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        for event, ids in ((warm_id, contact_ids[:50]), (event_id, contact_ids[: args.count])):
            resp = client.post(
                f"/api/v1/events/{event}/invitations", json={"contact_ids": ids}, headers=headers
            )
            assert resp.status_code == 202, resp.json

        def outbox(event: int) -> list[int]:
            with app.app_context():
                return list(
                    db.session.scalars(
                        sa.select(OutgoingEmail.id)
                        .join(Invitation)
                        .where(Invitation.event_id == event)
                        .order_by(OutgoingEmail.id)
                    )
                )

        def run(ids: list[int], profile=None) -> None:
            for start in range(0, len(ids), BATCH):
                with app.app_context():  # one app context per batch, as in the worker
                    chunk = ids[start : start + BATCH]
                    profile.runcall(deliver, chunk) if profile else deliver(chunk)

        run(outbox(warm_id))  # imports, templates, VTIMEZONE, connections
        ids = outbox(event_id)
        if args.ab:
            _ab(app, ids)
            return
        sink.reset()
        profile = None
        if args.profile:
            import cProfile

            profile = cProfile.Profile(time.process_time)
        pg0, sink0, cpu0 = postgres_cpu(dbname), cpu_seconds(sink.proc.pid), time.process_time()
        run(ids, profile)
        cpu = time.process_time() - cpu0
        time.sleep(0.5)
        pg, sink_cpu = postgres_cpu(dbname) - pg0, cpu_seconds(sink.proc.pid) - sink0
        per = 1000 / len(ids)
        print(
            f"{len(ids)} messages, {sink.count.value} accepted: worker {cpu * per:.2f} ms, "
            f"PostgreSQL {pg * per:.2f} ms, sink {sink_cpu * per:.2f} ms of CPU per message; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        if profile is not None:
            import pstats

            pstats.Stats(profile).sort_stats(args.profile).print_stats(args.lines)
    finally:
        sink.finish()
        redis.terminate()
        redis.wait(10)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(workdir, ignore_errors=True)


def _ab(app, ids: list[int]) -> None:
    """CPU per message of each batch with the shared renders kept and emptied, in turn."""
    import statistics

    from reslog_events.invitations.shared_render import shared_renders
    from reslog_events.mail.delivery import deliver

    cpu: dict[bool, list[float]] = {True: [], False: []}
    for number, start in enumerate(range(0, len(ids), BATCH)):
        keep = number % 2 == 0
        chunk = ids[start : start + BATCH]
        with app.app_context():
            if not keep:
                shared_renders().clear()
            t = time.process_time()
            deliver(chunk)
            cpu[keep].append((time.process_time() - t) * 1000 / len(chunk))
    kept = statistics.median(cpu[True])
    for keep, values in cpu.items():
        median = statistics.median(values)
        print(
            f"renders {'kept   ' if keep else 'emptied'} {len(values):3} batches: median "
            f"{median:.3f} ms, mean {statistics.fmean(values):.3f} ms of CPU per message "
            f"({median / kept:.2f}×)"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
