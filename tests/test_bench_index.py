"""`python -m bench` (what `make bench` runs) lists the benchmarks with their commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_bench_lists_every_benchmark_with_its_command():
    done = _bench()
    assert done.returncode == 0, done.stderr
    for name in (
        "qr",
        "reports",
        "pages",
        "checkin",
        "invitations",
        "load",
        "surge",
        "drills",
        "certificates",
        "certificate_mailing",
    ):
        assert f".venv/bin/python -m bench.{name}" in done.stdout, name
    assert "Benchmark of the check-in QR code" in done.stdout
    assert "Benchmark of the pages people wait for" in done.stdout
    assert "(no description)" not in done.stdout


def test_an_unknown_benchmark_is_refused_with_the_names():
    done = _bench("nope")
    assert done.returncode == 2
    assert "unknown benchmark 'nope'" in done.stderr and "qr" in done.stderr
