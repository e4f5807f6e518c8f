"""gunicorn's settings in the load test: production's (`reslog_events/gunicorn_conf.py`) plus a
log of the web workers' garbage collections, so that a stall of a whole process shows.

`bench.stack` passes this file to gunicorn's `-c`. Each full collection (generation 2) and each
other one longer than 5 ms is written to `BENCH_GC_LOG` as `generation cpu_ms wall_ms pid`.
`BENCH_WEB_BEFORE=1`: the settings before 7 Dec 2026 (3 processes × 4 threads, no
`gc.freeze()`), to measure both in the same session.
"""

from __future__ import annotations

import gc
import os
import time

from reslog_events import gunicorn_conf
from reslog_events.gunicorn_conf import *  # noqa: F403 - production's, then the changes below

BEFORE = os.environ.get("BENCH_WEB_BEFORE") == "1"
if BEFORE:
    workers, threads = 3, 4


def post_worker_init(worker) -> None:
    if not BEFORE:
        gunicorn_conf.post_worker_init(worker)
    path = os.environ.get("BENCH_GC_LOG")
    if path:
        gc.callbacks.append(_gc_logger(path))


def _gc_logger(path: str):
    started = [0.0, 0.0]

    def log(phase: str, info: dict) -> None:
        if phase == "start":
            started[:] = [time.perf_counter(), time.thread_time()]
            return
        wall = (time.perf_counter() - started[0]) * 1000
        cpu = (time.thread_time() - started[1]) * 1000
        if info["generation"] == 2 or wall > 5:
            with open(path, "a") as out:
                out.write(f"{info['generation']} {cpu:.1f} {wall:.1f} {os.getpid()}\n")

    return log
