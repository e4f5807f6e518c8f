"""CPU and memory of process trees, from Linux /proc, for the benchmarks on the production stack
(bench.stack, bench.load, bench.surge, bench.certificate_mailing): a process's children and
whole tree, resident memory, CPU seconds (reaped children included), the CPU of the PostgreSQL
backends serving one database, and a thread sampling the memory of process trees.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []


def tree(pid: int) -> list[int]:
    """The pid and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(children(current))
    return pids


def rss_mb(pid: int) -> float:
    """Resident set size of one process in MB (0 when it is gone)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return pages * PAGE_SIZE_KB / 1024


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and of its reaped children, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return sum(int(v) for v in fields[11:15]) / TICKS


def tree_cpu(pid: int) -> float:
    return sum(cpu_seconds(p) for p in tree(pid))


def backends_cpu(database: str) -> float:
    """CPU of the PostgreSQL backends connected to `database` (their titles name it)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
            total += cpu_seconds(int(entry.name))
    return total


class MemorySampler(threading.Thread):
    """RSS of process trees every `every` seconds: {group: [(t, total MB, [MB per process])]}."""

    def __init__(self, groups: dict[str, int], every: float = 10.0) -> None:
        super().__init__(daemon=True)
        self.groups = groups
        self.every = every
        self.samples: dict[str, list[tuple[float, float, list[float]]]] = {g: [] for g in groups}
        self._halt = threading.Event()
        self.started_at = time.monotonic()

    def sample(self) -> None:
        now = time.monotonic() - self.started_at
        for group, pid in self.groups.items():
            sizes = [rss_mb(p) for p in tree(pid)]
            self.samples[group].append((now, sum(sizes), sizes))

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
        self.sample()
