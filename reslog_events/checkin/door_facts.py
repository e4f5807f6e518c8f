"""What the door knows and answers: the event and the invitation a scan names (read without
the ORM, in one statement), and the answer given (replayed verbatim for the same nonce)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from ..core.tokens import CHECKIN_PREFIX
from ..events.models import EventStatus
from ..invitations.models import InvitationStatus
from . import statements as sql
from .schemas import RESULT_STATUS, ScanResult


def shorten_scanned(text: str) -> str:
    """What the log keeps of a scan: a check-in code is a secret, so only its first characters;
    anything else (a wrong QR code, a typo) up to 40 printable characters."""
    printable = "".join(c if c.isprintable() else "?" for c in text)
    if printable.startswith(CHECKIN_PREFIX + "-"):
        return printable[: len(CHECKIN_PREFIX) + 5] + "…"
    return printable[:40] + ("…" if len(printable) > 40 else "")


@dataclass
class Answer:
    """The HTTP answer to one door action: replayed verbatim for the same nonce."""

    status: int
    body: dict[str, Any]
    #: already in the check-in log (written with its effect, or replayed from there)
    logged: bool = False

    @property
    def result(self) -> str:
        return self.body["result"]


def answer(result: ScanResult, message: str, **fields: Any) -> Answer:
    body: dict[str, Any] = {"result": result.value, "message": message}
    body.update({k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()})
    if result != ScanResult.ok:
        # Refusals are 4xx: also in the contract's error shape, for generic API clients.
        body["error"] = {"code": result.value, "message": message, "fields": {}}
    return Answer(RESULT_STATUS[result], body)


@dataclass(frozen=True)
class DoorEvent:
    """The few facts about an event the door needs (read without the ORM)."""

    id: int
    title: str
    status: EventStatus
    timezone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None

    @classmethod
    def load(cls, event_id: int) -> DoorEvent | None:
        row = sql.connection().execute(sql.EVENT, {"event_id": event_id}).first()
        return cls(*row) if row is not None else None

    @classmethod
    def load_with_code(
        cls, event_id: int, code_hash: str
    ) -> tuple[DoorEvent | None, Attendee | None]:
        """The event, and the invitation (of any event) whose code has this hash."""
        params = {"event_id": event_id, "code_hash": code_hash}
        row = sql.event_and_code(params)
        if row is None:
            return None, None
        attendee = None
        if row[7] is not None:
            attendee = Attendee(row[7], row[8], InvitationStatus(row[9]), row[10], row[11], row[12])
        return cls(row[0], row[1], EventStatus(row[2]), *row[3:7]), attendee

    @property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.cancelled


@dataclass
class Attendee:
    """What the door needs to know about an invitation (one query, no ORM objects)."""

    invitation_id: int
    event_id: int
    status: InvitationStatus
    is_walk_in: bool
    full_name: str
    organisation: str | None

    @classmethod
    def by_id(cls, invitation_id: int) -> Attendee | None:
        row = sql.connection().execute(sql.ATTENDEE_BY_ID, {"invitation_id": invitation_id}).first()
        return cls(*row) if row is not None else None

    def fields(self) -> dict[str, Any]:
        return {
            "invitation_id": self.invitation_id,
            "full_name": self.full_name,
            "organisation": self.organisation,
            "status": self.status.value,
            "is_walk_in": self.is_walk_in,
        }
