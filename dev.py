#!/usr/bin/env python3
"""The two set-up commands of the README, on a fresh machine with only Python 3.11+:

    python3 dev.py run     # virtualenv, install, migrate, demo data, web app with embedded worker
    python3 dev.py test    # virtualenv, install with test tools, the test suite (pytest args follow)

Everything is embedded (SQLite, in-process worker, emails written to files) unless the
environment says otherwise (DATABASE_URL, REDIS_URL, MAIL_BACKEND…; see README).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("RESLOG_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def sh(*args: str | Path, **kw) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kw)


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit("RESLOG Events needs Python 3.11 or newer.")
    if not PY.exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / f".installed-{extras or 'base'}"
    # setup.py is the build step (compiled catalogues): a change to it reinstalls too
    build_files = (ROOT / "pyproject.toml").read_bytes() + (ROOT / "setup.py").read_bytes()
    wanted = hashlib.sha256(build_files).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("Installing dependencies …", flush=True)
        # (setuptools too: the one a new virtualenv brings may have known vulnerabilities)
        sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip", "setuptools")
        target = f".[{extras}]" if extras else "."
        sh(PY, "-m", "pip", "install", "--quiet", "-e", target)
        stamp.write_text(wanted)
    compile_translations()


def compile_translations() -> None:
    # the install compiled them (setup.py); again here for .po files edited since
    sh(PY, "-m", "babel.messages.frontend", "compile", "-d", "reslog_events/translations")


def flask(*args: str) -> None:
    sh(BIN / "flask", "--app", "reslog_events", *args)


def run() -> None:
    ensure_venv("")
    flask("db", "upgrade")
    flask("demo")
    port = os.environ.get("PORT", "5000")
    print(
        "\nRESLOG Events is starting on http://127.0.0.1:%s (demo logins above)\n"
        "Emails are written to instance/outbox/ (and listed at /dev/outbox).\n"
        "This embedded mode (SQLite, in-process worker) is for trials, not production.\n" % port,
        flush=True,
    )
    os.execv(
        str(BIN / "flask"),
        [str(BIN / "flask"), "--app", "reslog_events", "run", "--port", port, "--no-reload"],
    )


def test(args: list[str]) -> None:
    ensure_venv("test")
    result = subprocess.run([str(PY), "-m", "pytest", *args], cwd=ROOT)
    sys.exit(result.returncode)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "run":
        run()
    elif command == "test":
        test(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
