"""gunicorn's access log without secrets: personal links (`/rsvp/<token>`, private calendar feeds)
carry their secret in the path, so it is masked before the line is written.

Used by the Procfile: `gunicorn --logger-class reslog_events.gunicorn_logging.RedactingLogger …`
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

SECRET_PATHS = re.compile(r"(/rsvp/|/feeds/u/)[^/\s?]+")


def redact(text: str | None) -> str | None:
    return SECRET_PATHS.sub(r"\1…", text) if text else text


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{referer}i"):
            if key in atoms:
                atoms[key] = redact(atoms[key])
        return atoms
