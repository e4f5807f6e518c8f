"""The whole production stack on one machine, for the load test and the fault drills: a scratch
PostgreSQL database (migrated), Redis (a database of the shared server, or a private
redis-server on a free port that a drill may stop), the SMTP sink (bench.sink), and the
processes of the Procfile — gunicorn serving `reslog_events:create_app()`, `dramatiq workers`
and the clock — all on loopback, all stopped and the database dropped at the end.

    with Stack(StackOptions(redis="private")) as stack:
        plan = seed_event_day(stack, invitees=400)     # bench.eventday
        stack.start_processes()
        ...
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench.process_usage import backends_cpu, children, tree_cpu
from tests.invitations.processes import Processes, RedisServer, free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres")
#: the Procfile's gunicorn settings with a log of the workers' garbage collections
#: (bench/web_settings.py; BENCH_WEB_CONFIG: another file, to try a variant)
WEB_CONFIG = os.environ.get("BENCH_WEB_CONFIG", "python:bench.web_settings")


# --- the SMTP sink ---------------------------------------------------------------------------


class Sink:
    """bench.sink in its own process; `stop()` plays a provider that is down (connection
    refused), `start(reject="421 …")` one that answers every message with an error."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "sink.jsonl"
        self.log.touch()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    def start(self, reject: str | None = None) -> None:
        command = [sys.executable, "-m", "bench.sink", "--port", str(self.port)]
        command += ["--log", str(self.log)] + (["--reject", reject] if reject else [])
        out = open(self.workdir / "sink.out", "ab")  # noqa: SIM115 - the child keeps it
        self.proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        wait_until(self._listening, 20, "the SMTP sink to listen")

    def _listening(self) -> bool:
        import socket

        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)
        self.proc = None

    def received(self) -> list[dict]:
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]


# --- the processes -------------------------------------------------------------------------


class StackProcesses(Processes):
    """The test suite's process helper (workers, clock) plus the web server."""

    def web(self, port: int, *, workers: int | None, threads: int | None) -> subprocess.Popen:
        """gunicorn with the production settings and a log of its garbage collections
        (bench/web_settings.py), on our port; workers and threads: the settings' when None."""
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        args = [gunicorn, "-c", WEB_CONFIG, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        args += ["--workers", str(workers)] if workers else []
        args += ["--threads", str(threads)] if threads else []
        # the server's own time per request, matched to the load generator's by its number
        args += ["--access-logfile", str(self.workdir / "access.txt")]
        args += ["--access-logformat", "%({x-bench-seq}i)s %(D)s %(s)s"]
        args += ["reslog_events:create_app()"]
        log = open(self.workdir / "web.log", "ab")  # noqa: SIM115 - the child keeps it
        proc = subprocess.Popen(
            args, cwd=ROOT, env={**self.env, "BENCH_GC_LOG": str(self.workdir / "gc.txt")},
            stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.procs.append(proc)
        return proc


# --- the stack -------------------------------------------------------------------------------


@dataclass
class StackOptions:
    #: "shared" (REDIS_URL=redis://127.0.0.1:6379/<redis_db>) or "private" (own redis-server)
    redis: str = "shared"
    redis_db: int = 13
    #: gunicorn's processes and threads; None: the production settings' (gunicorn_conf)
    web_workers: int | None = None
    web_threads: int | None = None
    worker_processes: int = 2
    worker_threads: int = 4
    #: the workers' CPU priority, as the Procfile's `nice -n ${WORKER_NICE:-10}`
    worker_nice: int = 10
    clock: bool = True
    keep: bool = False
    #: more environment for every process (e.g. OUTBOX_LEASE_SECONDS)
    env: dict[str, str] = field(default_factory=dict)


class Stack:
    def __init__(self, options: StackOptions) -> None:
        self.options = options
        self.workdir = Path(tempfile.mkdtemp(prefix="reslog-stack-"))
        self.secret = uuid.uuid4().hex
        self.database_url = ""
        self.redis: RedisServer | None = None
        self.redis_url = ""
        self.sink = Sink(self.workdir)
        self.port = free_port()
        self.processes: StackProcesses | None = None
        self.web: subprocess.Popen | None = None
        self.workers: subprocess.Popen | None = None
        # pre-ping: the PostgreSQL drill restarts the server under this pool
        self._admin = sa.create_engine(BASE_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        self._dbname = f"reslog_bench_stack_{uuid.uuid4().hex[:8]}"
        self.engine: sa.Engine | None = None
        self._tracked: list[subprocess.Popen] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- services -----------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        with self._admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self._dbname}"'))
        url = sa.engine.make_url(BASE_URL).set(database=self._dbname)
        self.database_url = url.render_as_string(hide_password=False)
        self.engine = sa.create_engine(self.database_url, pool_pre_ping=True)
        if self.options.redis == "private":
            self.redis = RedisServer(self.workdir)
            self.redis.start()
            self.redis_url = self.redis.url
        else:
            self.redis_url = f"redis://127.0.0.1:6379/{self.options.redis_db}"
            self._flush_shared_redis()
        self.sink.start()
        return self

    def _flush_shared_redis(self) -> None:
        """Empty our own database of the shared Redis: a queue left by an interrupted run
        would hand old outbox ids to the new database's workers."""
        import redis

        client = redis.Redis.from_url(self.redis_url)
        client.flushdb()
        client.close()

    def env(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": self.secret,
            "PUBLIC_BASE_URL": self.base_url,
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.sink.port),
            "MAIL_FROM": "RESLOG Etkinlikler <etkinlik@example.org>",
            "PYTHONUNBUFFERED": "1",
            **self.options.env,
        }

    def app(self):
        """An app on the scratch database, for seeding and checks in this process."""
        from reslog_events import create_app

        return create_app(
            {
                "SQLALCHEMY_DATABASE_URI": self.database_url,
                "SECRET_KEY": self.secret,
                "REDIS_URL": None,
                "PUBLIC_BASE_URL": self.base_url,
            }
        )

    # -- processes ----------------------------------------------------------------------------
    def start_processes(self) -> None:
        opts = self.options
        self.processes = StackProcesses(self.env(), self.workdir)
        self.web = self.processes.web(self.port, workers=opts.web_workers, threads=opts.web_threads)
        self.start_workers()
        if opts.clock:
            self.processes.clock()
        wait_until(self._web_ready, 60, "gunicorn to answer", every=0.2)

    def start_workers(self) -> subprocess.Popen:
        assert self.processes is not None
        before = self._ready_lines()
        self.workers = self.processes.worker(
            "workers", processes=self.options.worker_processes, threads=self.options.worker_threads
        )
        # the whole process group (its own session): worker processes forked later inherit it
        os.setpriority(os.PRIO_PGRP, self.workers.pid, self.options.worker_nice)
        wanted = before + self.options.worker_processes
        wait_until(lambda: self._ready_lines() >= wanted, 90, "the workers to boot", every=0.2)
        return self.workers

    def _ready_lines(self) -> int:
        log = self.workdir / "workers.log"
        if not log.exists():
            return 0
        return log.read_text(errors="replace").count("is ready for action")

    def _web_ready(self) -> bool:
        import http.client

        if self.web is not None and self.web.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.logs()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/login")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def cpu(self, **more: int) -> dict[str, float]:
        """CPU seconds so far of the web and worker process trees, the database's backends
        and any other processes given by pid."""
        pids = {"web": self.web.pid, "workers": self.workers.pid, **more}
        spent = {name: tree_cpu(pid) for name, pid in pids.items()}
        spent["postgres"] = backends_cpu(self._dbname)
        return spent

    def worker_children(self) -> list[int]:
        """The pids of the worker processes under the current `dramatiq workers`."""
        return children(self.workers.pid) if self.workers is not None else []

    def logs(self) -> str:
        return self.processes.logs() if self.processes else ""

    def tracebacks(self) -> Counter:
        """Tracebacks in the processes' logs, by the exception named on their last line."""
        found: Counter = Counter()
        for log in self.workdir.glob("*.log"):
            lines = log.read_text(errors="replace").splitlines()
            for n, line in enumerate(lines):
                if line.startswith("Traceback"):
                    end = next(
                        (lines[k] for k in range(n + 1, len(lines)) if not lines[k][:1].isspace()),
                        "?",
                    )
                    found[f"{log.stem}: {end[:120]}"] += 1
        return found

    # -- the outbox -----------------------------------------------------------------------------
    def outbox_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT status, count(*) FROM outgoing_emails GROUP BY 1"))
            return {status: n for status, n in rows}

    def wait_for_outbox(self, timeout: float) -> float:
        """Until no row is queued or sending and the sink holds every sent row; returns the
        seconds waited (raises after `timeout`)."""
        started = time.monotonic()

        def drained() -> bool:
            counts = self.outbox_counts()
            if counts.get("queued", 0) or counts.get("sending", 0):
                return False
            ids = {m["id"] for m in self.sink.received()}
            return len(ids) >= counts.get("sent", 0)

        wait_until(drained, timeout, "the outbox to drain", every=0.5)
        return time.monotonic() - started

    # -- the end ------------------------------------------------------------------------------
    def track(self, proc: subprocess.Popen) -> subprocess.Popen:
        """A process of ours (the load generator) to stop at the end if it still runs."""
        self._tracked.append(proc)
        return proc

    def __exit__(self, *exc) -> None:
        for proc in self._tracked:
            if proc.poll() is None:
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(10)
        if self.processes is not None:
            self.processes.stop_all()
        self.sink.stop()
        if self.redis is not None:
            self.redis.stop()
        elif self.redis_url:
            with contextlib.suppress(Exception):
                self._flush_shared_redis()
        if self.engine is not None:
            self.engine.dispose()
        if not self.options.keep:
            try:
                with self._admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self._dbname}" WITH (FORCE)'))
            except sa.exc.SQLAlchemyError as error:
                print(f"could not drop the scratch database {self._dbname}: {error}")
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            print(f"kept: database {self.database_url}, files in {self.workdir}")
        self._admin.dispose()


def kill(pid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def machine() -> str:
    """The machine in one line: cores, CPU, load, Python, PostgreSQL and Redis versions."""
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    engine = sa.create_engine(BASE_URL)
    with engine.connect() as conn:
        pg = conn.scalar(sa.text("SHOW server_version"))
    engine.dispose()
    redis_version = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True, check=False
    ).stdout.split()[2:3]
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), load average {load}, Python "
        f"{platform.python_version()}, PostgreSQL {pg.split()[0]}, Redis "
        f"{(redis_version or ['?'])[0].removeprefix('v=')}; load generator on the same machine"
    )
