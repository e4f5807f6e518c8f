"""Benchmark of an invitation surge: 10,000 invitations sent while 3,000 invitees open their page
and 1,500 answer within ten minutes (open loop), on the production stack.

    .venv/bin/python -m bench.surge                  # 10,000 / 3,000 / 1,500 in ten minutes
    .venv/bin/python -m bench.surge --invitations 1000 --opens 300 --answers 150 --minutes 2

The stack of bench.load (bench/stack.py: gunicorn, `dramatiq workers` as the Procfile starts
them, the clock, a private Redis, the SMTP sink, a scratch PostgreSQL database) with a forum in a
month and `--invitations` contacts not yet invited. After a warm-up of the web workers, one API
call invites them all (202); the emails leave at MAIL_RATE_PER_SECOND (`--send-rate`).

The people (bench.surge_crowd): `--opens` invitees drawn at random each get a time drawn
uniformly in the window (`--minutes`, from the API call) to open their page; the visit is due
then, or when the sink accepted their invitation if that is later. `--answers` of them answer
3–30 s after their page came back. Latency counts from when a request was due (open loop).

Delay beyond the send rate, per email: every email of the run in the order its send was asked
(the outbox row's `created_at`), through an ideal sender at exactly `--send-rate` per second
(first come, first served: the k-th email's ideal time is max(asked, the previous one's) +
1/rate); an email's delay is when the sink accepted it minus that ideal time.

Goals: RSVP page p99 ≤ 200 ms, no email delayed more than 60 s beyond the send rate. Checks:
zero errors, every invitation delivered exactly once, every answer confirmed by a 303 stored,
one confirmation (outbox and sink) per accept and none otherwise, the outbox drained with
nothing failed, no traceback in the logs. Exits 1 when a goal or check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import resource
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import sqlalchemy as sa

from bench.eventday import seed_event_day
from bench.load import percentile
from bench.process_usage import tree_cpu
from bench.stack import Stack, StackOptions, machine
from bench.surge_crowd import Crowd, Deliveries, Person

ANSWERS = ["accept"] * 70 + ["tentative"] * 15 + ["decline"] * 15
WANTED = {"accept": "accepted", "tentative": "tentative", "decline": "declined"}


def delays_beyond_rate(emails: list[tuple[float, int, float]], rate: float) -> dict[int, float]:
    """{id: seconds late} for emails (asked at, id, accepted at) against an ideal first-come,
    first-served sender at `rate` per second."""
    delays, ideal = {}, float("-inf")
    for asked, email_id, accepted in sorted(emails):
        ideal = max(asked, ideal) + 1.0 / rate
        delays[email_id] = accepted - ideal
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invitations", type=int, default=10_000)
    parser.add_argument("--opens", type=int, default=3_000)
    parser.add_argument("--answers", type=int, default=1_500)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--send-rate", type=int, default=50, help="MAIL_RATE_PER_SECOND")
    parser.add_argument("--users", type=int, default=64, help="concurrent people at most")
    parser.add_argument(
        "--web-workers", type=int, default=None, help="default: the production settings'"
    )
    parser.add_argument("--web-threads", type=int, default=None)
    parser.add_argument("--worker-processes", type=int, default=2)
    parser.add_argument("--worker-threads", type=int, default=8)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    print(f"Start: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; {machine()}")
    options = StackOptions(
        redis="private",
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        worker_processes=args.worker_processes,
        worker_threads=args.worker_threads,
        keep=args.keep,
        env={"MAIL_RATE_PER_SECOND": str(args.send_rate)},
    )
    with Stack(options) as stack:
        failed = run(stack, args)
    print(
        f"End: {time.strftime('%H:%M:%S UTC', time.gmtime())}; load average "
        f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}"
    )
    sys.exit(1 if failed else 0)


def run(stack: Stack, args) -> bool:  # noqa: C901 - a script, read top to bottom
    rng = random.Random(17)
    plan = seed_event_day(stack, invitees=10, past_events=2, spare_contacts=args.invitations)
    stack.start_processes()
    warm_up(stack, [i.token for i in plan.invitees])
    event_id = plan.other_event_id
    groups = process_groups(stack)
    cpu_before = {name: cpu() for name, cpu in groups.items()}
    started = time.time()
    status, answer = post_json(
        stack, f"/api/v1/events/{event_id}/invitations", plan.organiser_token,
        {"contact_ids": plan.spare_contact_ids},
    )  # fmt: skip
    print(f"invite call: {status} in {time.time() - started:.1f} s {answer[:120]!r}", flush=True)
    tokens = invitation_tokens(stack, event_id)  # address -> RSVP token
    window = args.minutes * 60
    people = [
        Person(
            address=address,
            token=tokens[address],
            open_due=started + rng.random() * window,
            answer=rng.choice(ANSWERS) if n < args.answers else None,
            think=rng.uniform(3, 30),
        )
        for n, address in enumerate(rng.sample(sorted(tokens), args.opens))
    ]
    crowd = Crowd(stack.base_url, people, args.users)
    deliveries = Deliveries(stack.sink.log, crowd.delivered)
    deliveries.start()
    crowd.run(deadline=started + window + 120)
    crowd_done = time.time()
    drained = stack.wait_for_outbox(600)
    deliveries.halt.set()
    elapsed = time.time() - started
    cpu = {name: get() - cpu_before[name] for name, get in groups.items()}
    return report(stack, args, event_id, started, crowd, cpu, elapsed, crowd_done, drained)


def warm_up(stack: Stack, tokens: list[str]) -> None:
    """Each web worker serves the RSVP page a few times before the measure (a server that has
    been up for a while), and the login page (gunicorn answering at all)."""
    url = urlsplit(stack.base_url)
    for _round in range(4):
        for token in tokens:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            conn.request("GET", f"/rsvp/{token}", headers={"Accept-Language": "tr"})
            conn.getresponse().read()
            conn.close()


def post_json(stack: Stack, path: str, token: str, body: dict) -> tuple[int, bytes]:
    url = urlsplit(stack.base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request("POST", path, json.dumps(body).encode(), headers)
    response = conn.getresponse()
    return response.status, response.read()


def invitation_tokens(stack: Stack, event_id: int) -> dict[str, str]:
    from reslog_events.core.tokens import unseal

    with stack.engine.connect() as db:
        rows = db.execute(
            sa.text(
                "SELECT c.email, i.token_sealed FROM invitations i "
                "JOIN contacts c ON c.id = i.contact_id WHERE i.event_id = :e"
            ),
            {"e": event_id},
        ).all()
    app = stack.app()
    with app.app_context():
        return {email: unseal(sealed) for email, sealed in rows}


def process_groups(stack: Stack) -> dict:
    """CPU-seconds readers for each group of processes of the run."""
    clock = next(p for p in stack.processes.procs if "workers.clock" in p.args)
    return {
        "web (gunicorn)": lambda: tree_cpu(stack.web.pid),
        "mail workers (dramatiq)": lambda: tree_cpu(stack.workers.pid),
        "PostgreSQL backends": lambda: stack.cpu()["postgres"],
        "Redis": lambda: tree_cpu(stack.redis.proc.pid),
        "SMTP sink": lambda: tree_cpu(stack.sink.proc.pid),
        "clock": lambda: tree_cpu(clock.pid),
        "load generator (this process)": lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
    }


def outbox_rows(stack: Stack, since: float) -> list[tuple]:
    """(id, kind, to, status, asked at) of the run's outbox rows."""
    with stack.engine.connect() as db:
        return db.execute(
            sa.text(
                "SELECT id, kind, to_address, status, extract(epoch FROM created_at) "
                "FROM outgoing_emails WHERE created_at >= to_timestamp(:t) ORDER BY id"
            ),
            {"t": since - 5},
        ).all()


def report(stack, args, event_id, started, crowd, cpu, elapsed, crowd_done, drained) -> bool:  # noqa: C901, PLR0913
    from reslog_events.mail.models import OutboxStatus  # noqa: F401 - the statuses' names

    rows = outbox_rows(stack, started)
    received = stack.sink.received()
    arrivals: dict[str, list[float]] = {}
    for line in received:
        arrivals.setdefault(line["id"], []).append(line["at"])
    by_kind: dict[str, list] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    invitations = by_kind.get("invitation", [])
    lost = [r.id for r in invitations if str(r.id) not in arrivals]
    twice = [r.id for r in rows if len(arrivals.get(str(r.id), ())) > 1]
    statuses = Counter(r.status for r in rows)
    emails = [(float(r[4]), r.id, min(arrivals[str(r.id)])) for r in rows if str(r.id) in arrivals]
    delays = delays_beyond_rate(emails, args.send_rate)
    kind_of = {r.id: r.kind for r in rows}
    asked_of = {r.id: float(r[4]) for r in rows}

    with stack.engine.connect() as db:
        stored = dict(
            db.execute(
                sa.text(
                    "SELECT c.email, i.status FROM invitations i JOIN contacts c "
                    "ON c.id = i.contact_id WHERE i.event_id = :e"
                ),
                {"e": event_id},
            ).all()
        )
    answers_lost = [
        a for a, ans in crowd.answered.items() if stored.get(a) not in (WANTED[ans], "waitlisted")
    ]
    confirmations = Counter(r.to_address for r in by_kind.get("confirmation", []))
    confirmed_at_sink = Counter(
        line["to"] for line in received if line.get("kind") == "confirmation"
    )
    accepted = {a for a, s in stored.items() if s == "accepted"}
    wrong_confirmations = sum(
        1 for a in accepted if confirmations[a] != 1 or confirmed_at_sink[a] != 1
    ) + sum(1 for a in confirmations if a not in accepted)

    pages = [s for s in crowd.samples if s.kind == "rsvp_page"]
    answers = [s for s in crowd.samples if s.kind == "answer"]
    page_ms = [(s.done - s.due) * 1000 for s in pages]
    answer_ms = [(s.done - s.due) * 1000 for s in answers]
    lag_ms = [(s.started - s.due) * 1000 for s in crowd.samples]
    p99 = percentile(page_ms, 0.99)
    errors = sum(n for (_kind, status), n in crowd.statuses.items() if status >= 400)
    errors += len(crowd.errors)
    late_max = max(delays.values(), default=0.0)
    late_over = sum(1 for d in delays.values() if d > 60)
    tracebacks = stack.tracebacks()
    confirmation_wait = [
        min(arrivals[str(r.id)]) - asked_of[r.id]
        for r in by_kind.get("confirmation", [])
        if str(r.id) in arrivals
    ]

    def ms3(values):
        return " / ".join(f"{percentile(values, q):.0f}" for q in (0.5, 0.95, 0.99))

    print(f"\nMachine: {machine()}\n")
    web = (
        f"{args.web_workers}×{args.web_threads}"
        if args.web_workers or args.web_threads
        else "with the production settings (reslog_events/gunicorn_conf.py)"
    )
    print(
        f"{args.invitations:,} invitations at {args.send_rate}/s, {args.opens:,} opens, "
        f"{args.answers:,} answers in {args.minutes:g} min; gunicorn {web}, "
        f"dramatiq {args.worker_processes}×{args.worker_threads}; "
        f"{elapsed:.0f} s from the invite call to the drained outbox\n"
    )
    print("| measure | value | goal |\n|---|---:|---:|")
    print(f"| RSVP pages opened | {len(pages):,} | {args.opens:,} |")
    print(f"| RSVP page p50 / p95 / p99 ms (from due) | {ms3(page_ms)} | p99 ≤ 200 |")
    print(f"| RSVP page max ms | {max(page_ms, default=0):.0f} | – |")
    print(f"| answers confirmed by a 303 | {len(crowd.answered):,} | {args.answers:,} |")
    print(f"| answer (POST + page) p50 / p95 / p99 ms (from due) | {ms3(answer_ms)} | – |")
    print(
        f"| generator lag p99 / max ms (due → sent) | {percentile(lag_ms, 0.99):.0f} / "
        f"{max(lag_ms, default=0):.0f} | – |"
    )
    inv_delays = [delays[r.id] for r in invitations if r.id in delays]
    conf_delays = [delays[i] for i in delays if kind_of[i] == "confirmation"]
    print(
        f"| emails delayed beyond the send rate: max s (invitations / confirmations) | "
        f"{late_max:.1f} ({max(inv_delays, default=0):.1f} / "
        f"{max(conf_delays, default=0):.1f}) | ≤ 60 |"
    )
    print(f"| emails more than 60 s beyond the send rate | {late_over} | 0 |")
    print(
        f"| confirmation, asked → accepted by the sink, p50 / p99 / max s | "
        f"{percentile(confirmation_wait, 0.5):.1f} / {percentile(confirmation_wait, 0.99):.1f}"
        f" / {max(confirmation_wait, default=0):.1f} | – |"
    )
    last = max(
        (min(arrivals[str(r.id)]) for r in invitations if str(r.id) in arrivals), default=started
    )
    ideal = len(invitations) / args.send_rate
    print(
        f"| last invitation accepted, s after the invite call | {last - started:.0f} | "
        f"{ideal:.0f} at the rate |"
    )
    print(
        f"| invitations: outbox rows / delivered / lost / twice | {len(invitations):,} / "
        f"{len(invitations) - len(lost):,} / {len(lost)} / "
        f"{sum(1 for i in twice if kind_of[i] == 'invitation')} | "
        f"{args.invitations:,} / – / 0 / 0 |"
    )
    print(f"| emails delivered more than once (any kind) | {len(twice)} | 0 |")
    print(f"| errors (4xx/5xx, broken connections) | {errors} | 0 |")
    unexpected = {f"{k} {st}": n for (k, st), n in crowd.statuses.items() if st >= 400}
    for what, n in Counter(crowd.errors).most_common(3) + list(unexpected.items()):
        print(f"|   {what[:90]} | {n} | |")
    print(f"| answers lost | {len(answers_lost)} | 0 |")
    print(
        f"| accepted: {len(accepted)}; without exactly one confirmation (outbox, sink) or "
        f"confirmed without accepting | {wrong_confirmations} | 0 |"
    )
    print(f"| outbox rows by status | {dict(sorted(statuses.items()))} | sent |")
    print(f"| outbox drained after the last visit, s | {drained:.0f} | – |")
    print(f"| rows the sweep handed over again (workers' log) | {swept(stack)} | – |")
    print(f"| tracebacks in the logs | {sum(tracebacks.values())} | 0 |")
    for where, n in tracebacks.most_common(5):
        print(f"|   {where} | {n} | |")
    print_timeline(pages, emails, started, args.minutes)
    requests = len(pages) + 2 * len(answers)
    per = {
        "web (gunicorn)": (requests, "HTTP request"),
        "mail workers (dramatiq)": (len(emails), "email"),
        "PostgreSQL backends": (len(emails) + requests, "email or request"),
        "Redis": (len(emails), "email"),
        "SMTP sink": (len(emails), "email"),
        "load generator (this process)": (requests, "HTTP request"),
    }
    print(
        f"\nCPU per process group, {elapsed:.0f} s from the invite call to the drained outbox "
        f"(the web's includes the invite call):\n"
    )
    print("| process group | CPU s | cores (CPU s / wall s) | ms per |\n|---|---:|---:|---|")
    for name, seconds in cpu.items():
        count, unit = per.get(name, (0, ""))
        each = f"{seconds / count * 1000:.2f} per {unit}" if count else "–"
        print(f"| {name} | {seconds:.1f} | {seconds / elapsed:.2f} | {each} |")
    print(f"| **all** | {sum(cpu.values()):.1f} | {sum(cpu.values()) / elapsed:.2f} | |")
    failed = (
        p99 > 200 or late_over or errors or lost or twice or answers_lost or wrong_confirmations
        or len(crowd.answered) < args.answers or len(pages) < args.opens
        or statuses.get("failed") or statuses.get("queued") or statuses.get("sending")
        or tracebacks
    )  # fmt: skip
    print(f"\n**{'FAILED' if failed else 'PASSED'}** (goals and checks above)")
    return bool(failed)


def swept(stack: Stack) -> int:
    """Rows the outbox sweep re-enqueued during the run (from the workers' log)."""
    log = (stack.workdir / "workers.log").read_text(errors="replace")
    return sum(int(n) for n in re.findall(r"outbox sweep re-enqueued (\d+) rows", log))


def print_timeline(pages, emails, started: float, minutes: float) -> None:
    """Per slice of the window: pages opened and their p99, emails accepted by the sink."""
    step = max(30.0, minutes * 60 / 10)
    print("\n| from s | to s | RSVP pages opened | page p99 ms | emails accepted |")
    print("|---:|---:|---:|---:|---:|")
    end = max([s.done for s in pages] + [e[2] for e in emails] + [started]) - started
    t = 0.0
    while t < end:
        in_slice = [(s.done - s.due) * 1000 for s in pages if t <= s.due - started < t + step]
        sent = sum(1 for e in emails if t <= e[2] - started < t + step)
        print(
            f"| {t:.0f} | {t + step:.0f} | {len(in_slice)} | "
            f"{percentile(in_slice, 0.99):.0f} | {sent} |"
        )
        t += step


if __name__ == "__main__":
    main()
