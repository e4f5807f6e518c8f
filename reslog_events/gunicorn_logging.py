"""gunicorn's access log without secrets: personal links (`/rsvp/<token>`, private calendar feeds,
set-password links) carry their secret in the path, so it is masked before the line is written
(`core.logs.redact`, which also masks every other log record once the app is loaded).

Used by the Procfile: `gunicorn --logger-class reslog_events.gunicorn_logging.RedactingLogger …`
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from .core.logs import install, redact


class RedactingLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        install()  # gunicorn's own records too ("Error handling request /rsvp/…")

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{referer}i"):
            if key in atoms:
                atoms[key] = redact(atoms[key])
        return atoms
