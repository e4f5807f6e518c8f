"""Benchmark of the outbox sweep's statements (`mail.sweep.overdue_ids`) on PostgreSQL, in the
middle of a fan-out: what one sweep costs while rows wait their turn behind it.

    .venv/bin/python -m bench.sweep          # 100,000 rows of history, 10,000 due 150 s ago
    .venv/bin/python -m bench.sweep --fan-out 50000 --sent 20000 --history 0

A scratch database next to BENCH_POSTGRES_URL (dropped at the end) gets `--history` rows sent
over the hours before (one every 0.8 s, the newest an hour before the fan-out), then a fan-out
of `--fan-out` rows all due `--ago` seconds ago of which the first `--sent` went. With the send
rate the sweep reads the rows of the backlog since an hour before the oldest queued one
(docs/delivery.md); without it (`older_than`, `outbox sweep --all`) only the queued ones.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import sqlalchemy as sa

from bench.stack import BASE_URL, machine

_FILL = """
INSERT INTO outgoing_emails (kind, to_address, language, payload, status, attempts,
                             next_attempt_at, created_at, sent_at)
SELECT 'invitation', 'davetli@example.org', 'tr', '{{}}', {status}, 1, {due}, now(), now()
FROM generate_series(1, :n) AS i
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--fan-out", type=int, default=10_000)
    parser.add_argument("--sent", type=int, default=7_500)
    parser.add_argument("--ago", type=float, default=150.0, help="seconds since the fan-out")
    parser.add_argument("--rate", type=int, default=50, help="MAIL_RATE_PER_SECOND")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"Start: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; {machine()}")
    admin = sa.create_engine(BASE_URL, isolation_level="AUTOCOMMIT")
    name = f"reslog_bench_sweep_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = sa.engine.make_url(BASE_URL).set(database=name).render_as_string(False)
        run(url, args)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(url: str, args) -> None:
    from reslog_events import create_app
    from reslog_events.extensions import db
    from reslog_events.mail.sweep import overdue_ids

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    with app.app_context():
        db.create_all()
        history = _FILL.format(
            status="'sent'", due="now() - make_interval(secs => :ago + 3600 + i * 0.8)"
        )
        fan_out = _FILL.format(
            status="CASE WHEN i <= :sent THEN 'sent' ELSE 'queued' END",
            due="now() - make_interval(secs => :ago)",
        )
        with db.engine.begin() as conn:
            conn.execute(sa.text(history), {"n": args.history, "ago": args.ago})
            conn.execute(sa.text(fan_out), {"n": args.fan_out, "sent": args.sent, "ago": args.ago})
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE outgoing_emails"))
        app.config.update(OUTBOX_SWEEP_AFTER_SECONDS=60, MAIL_RATE_PER_SECOND=args.rate)
        print(
            f"\n{args.history:,} rows sent before, a fan-out of {args.fan_out:,} due "
            f"{args.ago:.0f} s ago ({args.sent:,} sent), {args.rate}/s, grace 60 s\n"
        )
        print("| sweep | rows handed over | ms per call (median of "
              f"{args.repeats}) |\n|---|---:|---:|")  # fmt: skip
        for label, older_than in (("at the send rate", None), ("no allowance (--all)", 0)):
            took, found = [], 0
            for _ in range(args.repeats):
                started = time.perf_counter()
                found = len(overdue_ids(older_than=older_than))
                took.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            print(f"| {label} | {found:,} | {statistics.median(took):.1f} |")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
