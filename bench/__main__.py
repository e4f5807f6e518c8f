"""The benchmarks, load test and drills, and how to run each (`make bench` prints this list).

    .venv/bin/python -m bench                  # the list: what each measures, its commands
    .venv/bin/python -m bench qr --codes 100   # run one (the same as -m bench.qr --codes 100)

The list is read from each script's docstring (first line, and its example command lines),
without importing the scripts; bench/README.md says more, docs/benchmarks.md and
docs/reliability.md keep the results.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: the scripts people run, quickest first; the other modules here are their parts
BENCHMARKS = (
    "qr",
    "certificates",
    "certificate_mailing",
    "reports",
    "pages",
    "checkin",
    "invitations",
    "load",
    "surge",
    "drills",
)
PURPOSE_WIDTH = 110


def summary(name: str) -> tuple[str, list[str]]:
    """The purpose (the docstring's first sentence) and the example commands of bench/<name>.py."""
    try:
        doc = ast.get_docstring(ast.parse((HERE / f"{name}.py").read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError):
        doc = None
    if not doc:
        return "(no description)", [f".venv/bin/python -m bench.{name}"]
    purpose = " ".join(doc.split("\n\n", 1)[0].split())
    for end in ("; ", ". "):
        purpose = purpose.split(end, 1)[0]
    if len(purpose) > PURPOSE_WIDTH:
        purpose = purpose[:PURPOSE_WIDTH].rsplit(" ", 1)[0] + " …"
    commands = [line.strip() for line in doc.splitlines() if f"-m bench.{name}" in line]
    return purpose.rstrip(".:"), commands or [f".venv/bin/python -m bench.{name}"]


def listing() -> str:
    lines = ["Benchmarks (run from the project root; each builds and drops its own data):", ""]
    width = max(len(name) for name in BENCHMARKS)
    for name in BENCHMARKS:
        purpose, commands = summary(name)
        lines.append(f"{name:<{width}} {purpose}")
        lines.extend(f"{'':<{width + 2}}{command}" for command in commands)
    lines += [
        "",
        "Run one: .venv/bin/python -m bench NAME [options] (make bench BENCH=NAME).",
        "More in bench/README.md; results in docs/benchmarks.md and docs/reliability.md.",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "list"):
        print(listing())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in BENCHMARKS:
        print(f"unknown benchmark {name!r}; one of: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    os.execv(sys.executable, [sys.executable, "-m", f"bench.{name}", *rest])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
