"""Real processes for the delivery tests: a private redis-server on a free port (never the shared
6379: the drills shut it down) or a private virtual host on the machine's RabbitMQ, `dramatiq`
worker processes and the clock, pointed at the test database and a loopback SMTP server."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, every=0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@contextmanager
def app_broker(app, url: str) -> Iterator[None]:
    """The test app enqueues to the broker at `url` (as a web process with REDIS_URL=url would),
    and gets its StubBroker back afterwards."""
    from reslog_events.jobs import make_broker
    from workers.broker import bind

    stub = app.extensions["dramatiq"]
    app.extensions["dramatiq"] = real = make_broker(url)
    bind(app)
    try:
        yield
    finally:
        app.extensions["dramatiq"] = stub
        bind(app)
        real.close()


class RedisServer:
    """`redis-server` on its own port, keeping nothing on disk (a restart loses every queue)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None and shutil.which("redis-cli") is not None

    def start(self) -> None:
        log = open(self.workdir / f"redis-{self.port}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.ping, 10, "redis-server to answer")

    def ping(self) -> bool:
        return (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        )

    def shutdown(self) -> None:
        """What an operator's `redis-cli shutdown` does; the in-memory queues are gone."""
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        if self.proc is not None:
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:  # a very busy machine: make sure it is gone
                self.proc.kill()
                self.proc.wait(10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.shutdown()


class RabbitVhost:
    """A virtual host of its own on the RabbitMQ at 127.0.0.1:5672 (never the shared `/`).
    `shutdown()` deletes it: every connection to it is dropped and every queued message lost,
    more than a restart of RabbitMQ (whose durable queues keep their messages) would do;
    `start()` creates it again, empty."""

    HOST = "127.0.0.1:5672"

    def __init__(self, workdir: Path) -> None:
        self.name = f"reslog-test-{uuid.uuid4().hex[:10]}"
        self.created = False

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@{self.HOST}/{self.name}"

    @staticmethod
    def available() -> bool:
        if shutil.which("rabbitmqctl") is None:
            return False
        try:
            socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
        except OSError:
            return False
        return True

    def _ctl(self, *args: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._ctl("add_vhost", self.name)
        self._ctl("set_permissions", "-p", self.name, "guest", ".*", ".*", ".*")
        self.created = True

    def shutdown(self) -> None:
        self._ctl("delete_vhost", self.name)
        self.created = False

    def stop(self) -> None:
        if self.created:
            self.shutdown()


class Processes:
    """Worker and clock processes with a shared environment; all stopped at the end."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env = {**os.environ, **env}
        self.workdir = workdir
        self.procs: list[subprocess.Popen] = []

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that a kill takes its children
        )
        self.procs.append(proc)
        return proc

    def worker(self, name: str, *, processes: int = 1, threads: int = 4) -> subprocess.Popen:
        return self._spawn(
            name,
            ["-m", "dramatiq", "workers", "--processes", str(processes), "--threads", str(threads)],
        )

    def clock(self) -> subprocess.Popen:
        return self._spawn("clock", ["-m", "workers.clock"])

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        """SIGKILL the whole process group: no shutdown hooks, no acks, no 'sent' marks."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.workdir.glob("*.log"))
        )
