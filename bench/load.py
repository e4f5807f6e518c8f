"""Load test and soak of an event day on the production stack: gunicorn + PostgreSQL + Redis +
Dramatiq workers + the clock, mail through SMTP to a local sink.

    .venv/bin/python -m bench.load --minutes 1          # the load test
    .venv/bin/python -m bench.load --minutes 10 --rate 40   # the soak (memory every 10 s)

It creates a scratch database next to BENCH_POSTGRES_URL (default
postgresql+psycopg://postgres@127.0.0.1/postgres), migrates it and loads the event day
(bench.eventday: a forum under way, `--invitees` pending invitations, history for the
dashboards); starts gunicorn (the Procfile's settings, reslog_events/gunicorn_conf.py; or
`--web-workers` × `--web-threads`) on a free loopback
port, `dramatiq workers` and the clock with REDIS_URL=redis://127.0.0.1:6379/<--redis-db>
(that database is emptied before and after) and MAIL_BACKEND=smtp into bench.sink; then runs
bench.traffic in its own process for `--minutes`, sampling the resident memory of the web and
worker processes every `--sample-every` seconds. Afterwards it waits for the outbox to drain
and checks the database and the sink (bench.verify). Prints Markdown; exits 1 when a check
fails. The database is dropped at the end (unless --keep).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict

from bench import web_settings
from bench.eventday import seed_event_day
from bench.process_usage import MemorySampler
from bench.stack import ROOT, Stack, StackOptions, machine
from bench.traffic import EXPECTED, WEIGHTS
from bench.verify import check_event_day


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def run_traffic(stack: Stack, plan, *, seconds: float, users: int, rate: float, seed: int = 1):
    """bench.traffic in its own process; returns its result (see bench.traffic.Generator)."""
    plan_path = stack.workdir / "plan.json"
    out_path = stack.workdir / f"traffic-{time.time():.0f}.json"
    plan_path.write_text(json.dumps(plan.to_json()))
    command = [sys.executable, "-m", "bench.traffic", "--plan", str(plan_path)]
    command += ["--out", str(out_path), "--seconds", str(seconds), "--users", str(users)]
    command += ["--rate", str(rate), "--seed", str(seed)]
    return stack.track(subprocess.Popen(command, cwd=ROOT)), out_path


def traffic_result(proc: subprocess.Popen, out_path, timeout: float) -> dict:
    if proc.wait(timeout) != 0:
        raise SystemExit(f"the load generator failed ({proc.returncode})")
    return json.loads(out_path.read_text())


def server_times(path) -> dict[int, float]:
    """The server's own time per request in ms (gunicorn's access log, `%(D)s` µs), by the
    load generator's request number (bench.traffic_people.SEQ_HEADER)."""
    times: dict[int, float] = {}
    if not path.exists():
        return times
    for line in path.read_text(errors="replace").splitlines():
        seq, _, rest = line.partition(" ")
        if seq.isdigit() and rest.split(" ", 1)[0].isdigit():
            times[int(seq)] = int(rest.split(" ", 1)[0]) / 1000
    return times


def windows_line(result: dict, every: float = 10.0) -> str:
    """p99 of the requests falling due in each `every` seconds of the run: a tail made in the
    first seconds (workers warming up) or by one stall shows apart from a steady one."""
    by_window: dict[int, list[float]] = defaultdict(list)
    for record in result["records"]:
        due = record[0] - (record[6] / 1000 if len(record) > 6 else 0)
        by_window[max(0, int(due // every))].append(record[3])
    shown = ", ".join(
        f"{k * every:.0f}–{(k + 1) * every:.0f} s {percentile(v, 0.99):.0f}"
        for k, v in sorted(by_window.items())
    )
    return f"p99 ms by when the request fell due: {shown}."


def collections_line(path) -> str:
    """The web workers' garbage collections (bench/web_settings.py's log): full ones, and the
    longest of any generation."""
    rows = []
    if path.exists():
        for line in path.read_text().splitlines():
            generation, cpu, wall, _pid = line.split()
            rows.append((int(generation), float(cpu), float(wall)))
    full = [r for r in rows if r[0] == 2]
    longest = max(rows, key=lambda r: r[2], default=None)
    text = f"{len(full)} full collections in the web processes"
    if full:
        text += f", CPU {min(r[1] for r in full):.0f}–{max(r[1] for r in full):.0f} ms each"
    if longest:
        text += f"; the longest (generation {longest[0]}): {longest[2]:.0f} ms"
    return text


def kind_table(result: dict, server: dict[int, float] | None = None) -> list[str]:
    """Markdown rows: throughput and latency per kind of request. Latency counts from when a
    request was due (open loop); beside it the p99 of the time it waited in the load generator
    before being sent, and of the server's own time (its access log; - when not logged)."""
    server = server or {}
    by_kind: dict[str, list] = defaultdict(list)
    for record in result["records"]:
        by_kind[record[1]].append(record)
    elapsed = result["seconds"]
    order = [k for k in WEIGHTS if k in by_kind] + sorted(set(by_kind) - set(WEIGHTS))
    lines = [
        "| request | count | per s | p50 ms | p90 ms | p99 ms | max ms | p99 waiting to be sent "
        "| p99 in a server thread | statuses | unexpected |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    everything: list[list] = []
    unexpected_total = 0
    for kind in order:
        records = by_kind[kind]
        everything += records
        statuses = Counter(r[2] for r in records)
        unexpected = sum(n for s, n in statuses.items() if s not in EXPECTED.get(kind, {200}))
        unexpected_total += unexpected
        shown = ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))
        latencies = _latencies(records, elapsed, server)
        lines.append(f"| {kind} | {latencies} | {shown} | {unexpected} |")
    lines.append(f"| **all** | {_latencies(everything, elapsed, server)} | | {unexpected_total} |")
    lines += ["", unanswered_line(everything)]
    return lines


def unanswered_line(records: list[list]) -> str:
    """Requests that got no answer (status 0), by the error the generator met, and those that
    a reused connection lost before any answer and a new one carried (as a browser does)."""
    lost = Counter(r[4] or "?" for r in records if r[2] == 0)
    retried = sum(1 for r in records if r[2] != 0 and r[4] == "retried on a new connection")
    text = f"Requests without an answer: {sum(lost.values())}"
    if lost:
        text += " (" + ", ".join(f"{name} ×{n}" for name, n in lost.most_common()) + ")"
    return text + f"; sent again on a new connection after the server closed one: {retried}."


def _latencies(records: list[list], elapsed: float, server: dict[int, float]) -> str:
    ms = [r[3] for r in records]
    lag = [r[6] for r in records if len(r) > 6]
    own = [server[r[7]] for r in records if len(r) > 7 and r[7] in server]
    return (
        f"{len(records)} | {len(records) / elapsed:.1f} | {percentile(ms, 0.5):.0f} | "
        f"{percentile(ms, 0.9):.0f} | {percentile(ms, 0.99):.0f} | {max(ms or [0]):.0f} | "
        f"{percentile(lag, 0.99):.0f} | " + (f"{percentile(own, 0.99):.0f}" if own else "-")
    )


def tail_lines(result: dict, server: dict[int, float], above_ms: float) -> list[str]:
    """Where the slow requests' time went: waiting in the load generator to be sent, in the
    server's thread (its access log), and the rest: queued in the server before a thread took
    it (accept queue, the worker's poller and queue), loopback, the generator reading it."""
    slow = [r for r in result["records"] if r[3] > above_ms and len(r) > 7 and r[7] in server]
    if not slow:
        return [f"No request above {above_ms:.0f} ms with its server time logged."]
    lag = sum(r[6] for r in slow)
    own = sum(server[r[7]] for r in slow)
    total = sum(r[3] for r in slow)
    return [
        f"Requests above {above_ms:.0f} ms: {len(slow)}, on average {total / len(slow):.0f} ms: "
        f"waiting in the load generator {lag / len(slow):.0f} ms ({lag / total:.0%}), "
        f"in a server thread {own / len(slow):.0f} ms ({own / total:.0%}), queued in the "
        f"server before a thread took it, loopback and reading "
        f"{(total - lag - own) / len(slow):.0f} ms ({(total - lag - own) / total:.0%})."
    ]


def memory_lines(sampler: MemorySampler, warmup: float) -> tuple[list[str], bool]:
    """Start (first sample after the warm-up), end, max and the slope after the warm-up; flat
    means growth of less than 5 % of the start (or 10 MB) from the warm-up to the end."""
    lines = [
        "| processes | samples | after warm-up MB | end MB | max MB | slope MB/min | flat |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    all_flat = True
    for group, samples in sampler.samples.items():
        steady = [s for s in samples if s[0] >= warmup] or samples
        start, end = steady[0][1], steady[-1][1]
        peak = max(s[1] for s in samples)
        n = len(steady)
        slope = 0.0
        if n > 2:
            mean_t = sum(s[0] for s in steady) / n
            mean_m = sum(s[1] for s in steady) / n
            var = sum((s[0] - mean_t) ** 2 for s in steady)
            slope = sum((s[0] - mean_t) * (s[1] - mean_m) for s in steady) / var * 60 if var else 0
        flat = end - start < max(0.05 * start, 10.0)
        all_flat &= flat
        count = len(steady[-1][2])
        lines.append(
            f"| {group} ({count} processes) | {len(samples)} | {start:.0f} | {end:.0f} | "
            f"{peak:.0f} | {slope:+.2f} | {'yes' if flat else 'NO'} |"
        )
    return lines, all_flat


def cpu_per_kind(stack: Stack, plan, repeat: int) -> list[str]:
    """One request kind at a time, `repeat` times, from one thread: CPU of the web processes
    and of the database's backends per operation (CPU time does not depend on how busy the
    machine is, latency does). Run after the checks: it answers and scans again."""
    from bench.traffic import Generator
    from bench.traffic_people import Http

    generator = Generator(plan, users=1, seconds=1, rate=0, seed=2)
    generator.started = time.perf_counter()
    http_ = Http("127.0.0.1", stack.port)
    generator.login(http_)
    for _ in range(repeat):  # people who accepted, for the QR codes and the scans
        generator.rsvp_answer(http_)
    lines = [
        "| operation | HTTP requests each | web CPU ms | PostgreSQL CPU ms |",
        "|---|---:|---:|---:|",
    ]
    for kind in WEIGHTS:
        first = len(generator.records)
        before = stack.cpu()
        for _ in range(repeat):
            getattr(generator, kind)(http_)
        after = stack.cpu()
        requests = len(generator.records) - first
        web = (after["web"] - before["web"]) * 1000 / repeat
        database = (after["postgres"] - before["postgres"]) * 1000 / repeat
        lines.append(f"| {kind} | {requests / repeat:.1f} | {web:.1f} | {database:.1f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--invitees", type=int, default=400)
    parser.add_argument("--past-events", type=int, default=12)
    parser.add_argument(
        "--users",
        type=int,
        default=None,
        help="closed loop: virtual users (16); open loop: the most connections at once (200)",
    )
    parser.add_argument("--rate", type=float, default=0, help="requests/s (0: closed loop)")
    parser.add_argument(
        "--web-workers", type=int, default=None, help="default: the production settings'"
    )
    parser.add_argument("--web-threads", type=int, default=None)
    parser.add_argument("--worker-processes", type=int, default=2)
    parser.add_argument("--worker-threads", type=int, default=4)
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--sample-every", type=float, default=10.0, help="memory, seconds")
    parser.add_argument(
        "--cpu-per-kind",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, CPU per operation of each kind, N operations each, one at a time",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args()
    if not 0 < args.minutes <= 60:
        sys.exit("--minutes: between 0 and 60")
    args.users = args.users or (200 if args.rate else 16)

    options = StackOptions(
        redis="shared",
        redis_db=args.redis_db,
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        worker_processes=args.worker_processes,
        worker_threads=args.worker_threads,
        keep=args.keep,
    )
    seconds = args.minutes * 60
    load_before = machine()
    with Stack(options) as stack:
        print(f"seeding {args.invitees} invitees and {args.past_events} past events …", flush=True)
        plan = seed_event_day(stack, invitees=args.invitees, past_events=args.past_events)
        stack.start_processes()
        sampler = MemorySampler(
            {"web (gunicorn)": stack.web.pid, "workers (dramatiq)": stack.workers.pid},
            every=args.sample_every,
        )
        sampler.start()
        print(f"traffic for {seconds:.0f} s on {stack.base_url} …", flush=True)
        cpu_before = stack.cpu()
        proc, out = run_traffic(stack, plan, seconds=seconds, users=args.users, rate=args.rate)
        result = traffic_result(proc, out, seconds + 300)
        server = server_times(stack.workdir / "access.txt")
        collections = collections_line(stack.workdir / "gc.txt")
        sampler.stop()
        print("waiting for the outbox to drain …", flush=True)
        drained_after = stack.wait_for_outbox(300)
        cpu = {k: v - cpu_before[k] for k, v in stack.cpu().items()}
        checks = check_event_day(stack.engine, plan.event_id, result, stack.sink.received())
        errors_in_logs = stack.tracebacks()
        per_kind = cpu_per_kind(stack, plan, args.cpu_per_kind) if args.cpu_per_kind else []

    load_after = machine()
    offered = f"{args.rate:.0f} requests/s (open loop)" if args.rate else "closed loop"
    print()
    users = f"up to {args.users} connections" if args.rate else f"{args.users} virtual users"
    print(f"## Event day: {args.minutes:g} min, {users}, {offered}\n")
    print(f"- machine at the start: {load_before}")
    print(f"- machine at the end: {load_after}")
    print(
        f"- gunicorn {args.web_workers or web_settings.workers} workers × "
        f"{args.web_threads or web_settings.threads} threads ({web_settings.worker_class}, "
        f"{'settings before 7 Dec 2026' if web_settings.BEFORE else 'production settings'}); "
        f"dramatiq {args.worker_processes} processes × {args.worker_threads} threads; clock; "
        f"{args.invitees} invitees, {args.past_events} past events of 100"
    )
    if args.rate:
        print(f"- connections opened by the load generator: {result.get('connections')}")
    if result.get("unsent"):
        print(f"- requests due but never sent (the run ended first): {result['unsent']}")
    if result.get("backlog_skipped"):
        print(f"- requests not sent (generator backlog): {result['backlog_skipped']}")
    print(f"- outbox drained {drained_after:.1f} s after the traffic stopped")
    print(f"- tracebacks in the server logs: {dict(errors_in_logs) or 'none'}")
    print(f"- garbage collector: {collections}")
    requests = len(result["records"])
    cpu["load generator"] = result["cpu_seconds"]
    print(
        "- CPU per request (ms): "
        + ", ".join(f"{name} {seconds_ * 1000 / requests:.1f}" for name, seconds_ in cpu.items())
        + f" (CPU seconds in all: {sum(cpu.values()):.0f} in {seconds:.0f} s of wall time)\n"
    )
    print("\n".join(kind_table(result, server)))
    print()
    print("\n".join(tail_lines(result, server, above_ms=250)))
    print()
    print(windows_line(result))
    print()
    if per_kind:
        print(f"CPU per operation, {args.cpu_per_kind} of each kind one at a time:\n")
        print("\n".join(per_kind))
        print()
    mem, flat = memory_lines(sampler, warmup=min(60.0, seconds / 5))
    print("\n".join(mem))
    print()
    print("| check | count |\n|---|---:|")
    for name, value in checks.counts.items():
        print(f"| {name} | {value} |")
    print()
    print("all checks passed" if checks.passed else "FAILED: " + "; ".join(checks.problems))
    if not flat:
        print("memory NOT flat")
    if not checks.passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
