"""`MAIL_BACKEND=file`: one `.eml` per message in `MAIL_OUTBOX_DIR` (development and trials)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..compose import ComposedEmail


class FileBackend:
    """Writes `<outbox id>.eml` atomically (temp file + rename): a resend overwrites, never
    duplicates, and a reader never sees half a message."""

    name = "file"

    def __init__(self, config: dict[str, Any]) -> None:
        self.directory = Path(config["MAIL_OUTBOX_DIR"])

    def path_for(self, outgoing_id: int) -> Path:
        return self.directory / f"{outgoing_id:08d}.eml"

    def send(self, message: ComposedEmail) -> str | None:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path_for(message.outgoing_id)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(message.as_bytes())
        tmp.replace(target)
        return message.message_id

    def close(self) -> None:
        pass
