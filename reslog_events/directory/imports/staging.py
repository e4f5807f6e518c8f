"""Uploaded files kept between the import preview and its confirmation.

The bytes wait in the instance folder (`IMPORT_STAGING_DIR`, default `instance/imports/`) under an
unguessable token, tied to the user who uploaded them, and are dropped after a day: by the clock
(`sweep_expired`, hourly), at the next upload, and at once when an erasure finds the person in
one (`discard_where`). A file holds whatever the sheet held (names, emails, phones).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

#: staged files older than this are deleted
KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class StagedFile:
    token: str
    filename: str
    data: bytes


def _folder() -> Path:
    folder = Path(
        current_app.config.get("IMPORT_STAGING_DIR") or Path(current_app.instance_path) / "imports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> int:
    limit = time.time() - KEEP_SECONDS
    deleted = 0
    for path in [*folder.glob("*.upload"), *folder.glob("*.json")]:
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                deleted += path.suffix == ".upload"
        except OSError:  # another request swept it first
            continue
    return deleted


def sweep_expired() -> int:
    """Delete the staged files older than KEEP_SECONDS (idempotent); how many were deleted."""
    return _sweep(_folder())


def discard_where(concerns: Callable[[bytes, str], bool]) -> int:
    """Delete every staged file for which `concerns(data, filename)` is true; how many."""
    deleted = 0
    for data_path in _folder().glob("*.upload"):
        meta_path = data_path.with_suffix(".json")
        try:
            data = data_path.read_bytes()
        except OSError:  # confirmed or swept meanwhile
            continue
        try:
            filename = str(json.loads(meta_path.read_text()).get("filename", ""))
        except (OSError, ValueError):  # being written: the name only helps to read the file
            filename = ""
        if concerns(data, filename):
            data_path.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def stage(data: bytes, filename: str, user_id: int) -> str:
    """Keep `data` for `user_id`; returns the token of the confirmation form."""
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(data)
    (folder / f"{token}.json").write_text(
        json.dumps({"user_id": user_id, "filename": filename[:200]})
    )
    return token


def load(token: str, user_id: int) -> StagedFile | None:
    """The staged file, if the token is well-formed, known, recent and `user_id`'s."""
    if not _TOKEN.match(token):
        return None
    folder = _folder()
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.upload"
    try:
        meta = json.loads(meta_path.read_text())
        if data_path.stat().st_mtime < time.time() - KEEP_SECONDS:
            return None
        data = data_path.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id:
        return None
    return StagedFile(token=token, filename=str(meta.get("filename", "")), data=data)


def discard(token: str) -> None:
    if _TOKEN.match(token):
        folder = _folder()
        (folder / f"{token}.upload").unlink(missing_ok=True)
        (folder / f"{token}.json").unlink(missing_ok=True)
