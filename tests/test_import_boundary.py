"""The app does not import its runner: `reslog_events` enqueues by actor name through
`reslog_events.jobs`, and only `workers/` imports the app (no import cycle between the two)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WITHOUT_WORKERS = r"""
import importlib.abc, sys

class NoWorkers(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "workers" or name.startswith("workers."):
            raise ImportError(f"{name} is not importable in this test")
        return None

sys.meta_path.insert(0, NoWorkers())

from reslog_events import create_app
from reslog_events.jobs import enqueue
from reslog_events.mail.dispatch import enqueue_outgoing

app = create_app({"EMBEDDED_WORKER": True})
with app.app_context():
    enqueue_outgoing([1, 2])
    enqueue("compile_report", 3)
    queues = app.extensions["dramatiq"].queues
    assert queues["mail"].qsize() == 2 and queues["reports"].qsize() == 1, queues
page = app.test_client().get("/login?lang=tr")  # embedded mode without its runner: a warning
assert page.status_code == 200, page.status_code
assert not [m for m in sys.modules if m == "workers" or m.startswith("workers.")]
print("ok")
"""


def test_the_app_imports_and_enqueues_without_workers(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SECRET_KEY": "boundary",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_WORKERS],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]
    assert "the runner workers.embedded is not installed" in result.stderr


def test_no_module_of_the_app_names_workers():
    offenders = []
    for path in sorted((ROOT / "reslog_events").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for name in names
                if name == "workers" or name.startswith("workers.")
            ]
    assert offenders == []


def test_the_queues_the_app_names_are_the_actors_queues(app):
    import workers  # noqa: F401
    from reslog_events.jobs import QUEUES
    from workers.broker import broker

    for name, queue_name in QUEUES.items():
        assert broker.get_actor(name).queue_name == queue_name, name
