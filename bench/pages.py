"""Benchmark of the pages people wait for: web CPU per request of one gunicorn sync worker.

    .venv/bin/python -m bench.pages                              # a million invitations
    .venv/bin/python -m bench.pages --invitations 200000 --repeats 3
    .venv/bin/python -m bench.pages --app /tmp/reslog-base --app .   # before and after
    .venv/bin/python -m bench.pages --kinds rsvp_page,answer          # only some kinds

Creates a scratch PostgreSQL database (`reslog_bench_pages_<random>` on BENCH_POSTGRES_URL,
default postgresql+psycopg://postgres@127.0.0.1/postgres), migrates it, loads the reports
benchmark's five years of data (bench/reports_data.py's generator; `--invitations`, a million by
default) and a published forum with 5,000 invitations (`--forum`), an organiser and a
coordinator. Then, per checkout given with `--app` (default: this one; a second one, e.g. an
export of the base commit, `git archive main | tar -x -C /tmp/reslog-base`, is measured against
the same database in the same run), it starts gunicorn with ONE sync worker and, after a
warm-up, sends `--requests` requests of each kind, `--repeats` times, reading the worker's user +
system CPU time from /proc before and after (CPU time: the machine may be shared; the checkouts
are measured in turns, repeat by repeat, so that other work weighs on each alike). The kinds:

- `rsvp_page`: GET /rsvp/<token> of a pending invitee (goal ≤ 2.5 ms);
- `answer`: POST /rsvp/<token> (the form as the page gave it) and GET of the page it redirects
  to, each invitee once (goal ≤ 10 ms; the GET that fetched the form is not counted);
- `answers_page`: GET /events/<id>/answers?page=n, 100 rows of 5,000, organiser's session
  (goal ≤ 15 ms);
- `dashboard`: GET /reports over the whole data set, organiser's session (goal ≤ 25 ms).

`--profile` adds a pass with cProfile in the worker (bench/pages_gunicorn.py, around each
request) and prints, per kind, where the CPU goes: routing, session, CSRF, auth, queries,
template, Babel and the rest. gunicorn's sync worker closes the connection after every answer,
so the client reconnects each time (as it would behind a proxy without keep-alive upstream).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import reports_data as world_data
from bench.common import (
    BASE_URL,
    cpu_seconds,
    create_database,
    free_port,
    machine,
    server_pids,
    stop,
)
from bench.pages_client import Pages
from bench.pages_data import Data, load_world, seed_forum

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"rsvp_page": 2.5, "answer": 10.0, "answers_page": 15.0, "dashboard": 25.0}
LABELS = {
    "rsvp_page": "RSVP page (`GET /rsvp/<token>`)",
    "answer": "answering (POST + the page it redirects to)",
    "answers_page": "answers page, 100 rows of 5,000",
    "dashboard": "reports dashboard",
}


# -- gunicorn, one sync worker ---------------------------------------------------------------


def start_server(app_dir: Path, url: str, port: int, profile_dir: str | None):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-pages-secret",
        # a broker nobody reads: no in-process worker may spend the web worker's CPU
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "PYTHONPATH": str(app_dir),
        "PYTHONUNBUFFERED": "1",
    }
    if profile_dir:
        env["BENCH_PROFILE_DIR"] = profile_dir
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers=1",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "--keep-alive=30",
        f"--config={ROOT / 'bench' / 'pages_gunicorn.py'}",
        "reslog_events:create_app()",
    ]
    master = subprocess.Popen(command, cwd=app_dir, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            conn.getresponse().read()
            return master, server_pids(master.pid, url)[0][1]
        except OSError:
            if master.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.3)
    stop(master)
    raise SystemExit("gunicorn did not answer within 60 s")


# -- the requests ------------------------------------------------------------------------------


def measure_once(pages: Pages, worker: int, kind: str, count: int) -> float:
    """CPU ms per request of the worker over `count` requests (an answer counts as one: POST
    and GET)."""
    forms = pages.answer_forms(count) if kind == "answer" else None
    before = cpu_seconds([worker])
    if forms is not None:
        pages.answer(forms)
    else:
        getattr(pages, kind)(count)
    return (cpu_seconds([worker]) - before) * 1000 / count


def warm_up(pages: Pages, count: int, kinds: list[str]) -> None:
    """Imports, compiled templates, caches, the pool: before anything is counted."""
    for kind in kinds:
        if kind == "answer":
            pages.answer(pages.answer_forms(count))
        else:
            getattr(pages, kind)(count)


def counts(args) -> dict[str, int]:
    every = {
        "rsvp_page": args.requests,
        "answer": args.answers,
        "answers_page": args.requests,
        "dashboard": args.dashboard_requests,
    }
    return {kind: every[kind] for kind in args.kinds}


def run_checkouts(apps: list[Path], data: Data, args) -> dict[str, dict[str, list[float]]]:
    """Every checkout's server at once, measured in turns (kind by kind, repeat by repeat), so
    that a busy machine weighs on each alike."""
    servers = []
    try:
        for app_dir in apps:
            port = free_port()
            master, worker = start_server(app_dir, data.url, port, None)
            servers.append((app_dir.name, master, worker, Pages(data, port)))
        for _name, _master, _worker, pages in servers:
            warm_up(pages, args.warmup, args.kinds)
        results: dict[str, dict[str, list[float]]] = {name: {} for name, *_rest in servers}
        for kind, count in counts(args).items():
            for _repeat in range(args.repeats):
                for name, _master, worker, pages in servers:
                    value = measure_once(pages, worker, kind, count)
                    results[name].setdefault(kind, []).append(value)
        return results
    finally:
        for _name, master, _worker, _pages in servers:
            stop(master)


def profile_checkout(app_dir: Path, data: Data, args) -> dict[str, dict[str, float]]:
    import pstats

    from bench.pages_gunicorn import steps_of

    folder = tempfile.mkdtemp(prefix="reslog-pages-profile-")
    port = free_port()
    master, _worker = start_server(app_dir, data.url, port, folder)
    try:
        warm_up(Pages(data, port), args.warmup, args.kinds)  # not profiled
        pages = Pages(data, port, profile="on")
        for kind, count in counts(args).items():
            if kind == "answer":
                pages.answer(pages.answer_forms(count // 2))
            else:
                getattr(pages, kind)(count // 2)
    finally:
        stop(master)
    out = {}
    for kind in GOALS:
        path = Path(folder) / f"{kind}.prof"
        if path.exists():
            out[kind] = steps_of(pstats.Stats(str(path)))
    return out


# -- the report --------------------------------------------------------------------------------


def table(results: dict[str, dict[str, list[float]]]) -> str:
    names = list(results)
    head = "| request | " + " | ".join(f"CPU ms/request, {n}" for n in names) + " | goal |"
    lines = [head, "|---|" + "---:|" * len(names) + "---:|"]
    for kind, goal in GOALS.items():
        if kind not in results[names[0]]:
            continue
        cells = []
        for name in names:
            values = results[name][kind]
            spread = f" ({min(values):.1f}–{max(values):.1f})" if len(values) > 1 else ""
            cells.append(f"{statistics.median(values):.1f}{spread}")
        lines.append(f"| {LABELS[kind]} | " + " | ".join(cells) + f" | ≤ {goal:g} |")
    return "\n".join(lines)


def profile_table(name: str, profiles: dict[str, dict[str, float]], cpu: dict[str, list[float]]):
    from bench.pages_gunicorn import STEPS

    lines = [
        f"Per step, {name} (share of the profiled CPU, and that share of the measured ms):",
        "",
        "| request | " + " | ".join(STEPS) + " |",
        "|---|" + "---:|" * len(STEPS),
    ]
    for kind, steps in profiles.items():
        total = sum(steps.values()) or 1
        measured = statistics.median(cpu[kind])
        cells = [
            f"{steps.get(s, 0) / total * 100:.0f} % ({steps.get(s, 0) / total * measured:.2f})"
            for s in STEPS
        ]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invitations", type=int, default=1_000_000)
    parser.add_argument("--forum", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200, help="per repeat and kind")
    parser.add_argument("--answers", type=int, default=100, help="answers per repeat")
    parser.add_argument("--dashboard-requests", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--app", action="append", type=Path, help="checkouts to measure")
    parser.add_argument("--profile", action="store_true", help="add the per-step profile")
    parser.add_argument("--reuse", metavar="URL", help="a database kept with --keep")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--kinds", default=",".join(GOALS), help="some of the kinds, e.g. rsvp_page,answer"
    )
    args = parser.parse_args()
    args.kinds = [kind for kind in args.kinds.split(",") if kind]
    if unknown := set(args.kinds) - set(GOALS):
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))} (kinds: {', '.join(GOALS)})")
    apps = [p.resolve() for p in (args.app or [ROOT])]
    answers = (args.answers * args.repeats + 2 * args.warmup + args.answers // 2) * len(apps)
    if answers > args.forum * 4 // 5:
        parser.error(f"{answers} answers need a forum of {answers * 5 // 4} (--forum)")
    drop = None
    if args.reuse:
        url = args.reuse
    else:
        url, drop = create_database(BASE_URL, prefix="reslog_bench_pages")
    try:
        started = time.perf_counter()
        if not args.reuse:
            world_data._migrate(url)
            load_world(url, args.invitations)
        data = seed_forum(url, args.forum)
        print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
        print(f"measuring {', '.join(str(a) for a in apps)} in turns …", flush=True)
        results = run_checkouts(apps, data, args)
        profiles = {}
        for app_dir in apps if args.profile else []:
            profiles[app_dir.name] = profile_checkout(app_dir, data, args)
        print(f"\nMachine: {machine()}; load average {os.getloadavg()[0]:.1f}")
        print(
            f"{args.invitations:,} invitations in five years + a forum of {args.forum:,}; "
            f"{args.requests} requests × {args.repeats} repeats (dashboard "
            f"{args.dashboard_requests}), median (min–max) of the repeats\n"
        )
        print(table(results))
        for name, steps in profiles.items():
            print()
            print(profile_table(name, steps, results[name]))
        if args.keep and drop:
            print(f"\nkept: --reuse {url}")
            drop = None
    finally:
        world_data._APPS.clear()
        if drop:
            drop()


if __name__ == "__main__":
    main()
