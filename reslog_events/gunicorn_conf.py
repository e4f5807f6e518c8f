"""gunicorn's settings for production: the Procfile's `web` runs
`gunicorn -c python:reslog_events.gunicorn_conf "reslog_events:create_app()"`.

Sized for the two-core server of the event-day load test (`bench/load.py`, docs/benchmarks.md,
"An event day on the production stack"); `WEB_CONCURRENCY` (processes) and `WEB_THREADS`
(threads each) change it; the Procfile binds `$PORT`. Why these values:

- gthread: a request waiting for PostgreSQL or Redis leaves its process to another thread, and
  idle keep-alive connections wait in the worker's poller, not in a thread.
- More processes than cores, few threads each: Python runs one thread of a process at a time,
  so a 50 ms dashboard holds up every other request of its process. Spread over more processes,
  a quick check-in rarely queues behind one.
- Every template compiled before the first request, then `gc.freeze()`: the app's own objects
  (routes, compiled templates, SQLAlchemy's mappings) are moved out of the collector's sight, so
  a full collection walks only what requests made; it holds every thread of its process while
  it runs, as a template's first compilation would.
"""

from __future__ import annotations

import gc
import os

from reslog_events.config import ConfigError

#: processes and threads of each, for two cores (README, "Production")
DEFAULT_WORKERS = 4
DEFAULT_THREADS = 2


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name}={raw!r}: expected an integer at least 1 (default {default})")
    return int(raw)


workers = _positive("WEB_CONCURRENCY", DEFAULT_WORKERS)
threads = _positive("WEB_THREADS", DEFAULT_THREADS)
worker_class = "gthread"
#: longer than a proxy's idle upstream connections (nginx 60 s), so that gunicorn never closes
#: one the proxy is about to reuse
keepalive = 75
accesslog = "-"
#: what was asked, the answer's status and size, and the server's time for it in seconds; no
#: address or browser (personal data), and the logger class masks the secrets in paths
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)s'
logger_class = "reslog_events.gunicorn_logging.RedactingLogger"


def post_worker_init(worker) -> None:
    """After the worker loaded the app, before its first request: every template compiled (a
    page's first visit would otherwise compile its templates while holding the process's
    other requests), then all of it frozen out of the collector's sight."""
    compile_templates(getattr(worker, "wsgi", None))
    gc.collect()
    gc.freeze()


def compile_templates(app) -> int:
    """Compile every template of a Flask app into its Jinja cache; returns how many."""
    env = getattr(app, "jinja_env", None)
    if env is None:
        return 0
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    return len(names)
