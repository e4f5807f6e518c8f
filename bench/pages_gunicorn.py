"""gunicorn settings for bench.pages: with BENCH_PROFILE_DIR set, a request carrying the header
`X-Bench-Profile` runs under cProfile in the worker (the whole request path: gunicorn's
parsing, the WSGI app, the answer written), one profile per kind of page, kept in that folder.

gunicorn loads this file by path (`--config`), so it serves any checkout under test; `steps_of`
sorts a profile's own time into the steps the issue names.
"""

from __future__ import annotations

import os
import time

PROFILE_DIR = os.environ.get("BENCH_PROFILE_DIR")
#: the steps, in the order printed; a function's own time goes to the first step whose marker
#: is in its file name (`rest`: Python itself, the app's own code)
STEPS = (
    "routing",
    "session",
    "CSRF",
    "auth",
    "queries",
    "template",
    "Babel",
    "HTTP",
    "app",
    "rest",
)
MARKERS = (
    ("routing", ("werkzeug/routing",)),
    ("session", ("flask/sessions.py", "itsdangerous", "auth/sessions", "core/sessions")),
    ("CSRF", ("flask_wtf", "wtforms")),
    ("auth", ("flask_login", "reslog_events/auth/")),
    ("queries", ("sqlalchemy", "psycopg")),
    ("template", ("jinja2", "markupsafe", ".html", "<template>")),
    ("Babel", ("babel/", "flask_babel", "gettext")),
    ("HTTP", ("werkzeug", "gunicorn", "flask/", "flask_limiter", "limits/", "http/")),
    ("app", ("reslog_events",)),
)
_profiles: dict = {}


def _label(req) -> str | None:
    for name, value in req.headers:
        if name == "X-BENCH-PROFILE":
            return value
    return None


def pre_request(worker, req) -> None:
    if not PROFILE_DIR or _label(req) is None:
        return
    import cProfile

    kind = _label(req)
    profile = _profiles.setdefault(kind, cProfile.Profile(time.process_time))
    req._bench_profile = (kind, profile)
    profile.enable()


def post_request(worker, req, environ, resp) -> None:
    entry = getattr(req, "_bench_profile", None)
    if entry is None:
        return
    kind, profile = entry
    profile.disable()
    profile.dump_stats(os.path.join(PROFILE_DIR, f"{kind}.prof"))


def steps_of(stats) -> dict[str, float]:
    """Seconds of own time per step in a pstats.Stats."""
    out = dict.fromkeys(STEPS, 0.0)
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        where = f"{filename}:{function}"
        for step, markers in MARKERS:
            if any(marker in where for marker in markers):
                out[step] += tottime
                break
        else:
            out["rest"] += tottime
    return out
