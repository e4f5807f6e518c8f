"""How one door action is decided and recorded, whatever started it (scan, search, walk-in).

The database is the referee between gates: `checkins` is unique per (invitation, day), so two
phones scanning the same code at once insert one row; the other reads the winner's row and
answers `already_checked_in`. `scan_log` is unique per (event, nonce), so an action sent twice
(a retry, an offline queue uploaded again) replays the stored first answer instead of acting
twice. Every action, refused or not, is written to `scan_log` in the transaction of its effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..core.api import ApiError
from ..core.columns import utcnow
from ..core.tokens import CHECKIN_PREFIX
from ..directory.models import Contact, Organisation
from ..events.models import Event, EventStatus
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from .models import CheckIn, ScanLog
from .schemas import RESULT_STATUS, ScanResult


def clock() -> datetime:
    """Now (UTC). Tests replace it to play a multi-day event."""
    return utcnow()


def event_day(event: DoorEvent | Event, moment: datetime) -> date:
    """The event-local date of a moment: multi-day events admit each person once a day."""
    return moment.astimezone(event.zone).date()


def scan_time(event: DoorEvent | Event, scanned_at: datetime | None) -> datetime:
    """When the scan happened: the scanner's time for queued scans, never later than now (a
    phone whose clock runs fast must not check people in for tomorrow)."""
    now = clock()
    if scanned_at is None:
        return now
    if scanned_at.tzinfo is None:
        scanned_at = scanned_at.replace(tzinfo=event.zone)
    return min(scanned_at.astimezone(UTC), now)


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


# The door's statements are built once, on the tables (plain Core: no ORM unit of work on the
# hot path), and compiled once per dialect by SQLAlchemy's statement cache.
_events = Event.__table__
_invitations = Invitation.__table__
_contacts = Contact.__table__
_organisations = Organisation.__table__
_checkins = CheckIn.__table__
_scan_log = ScanLog.__table__

_EVENT = sa.select(_events.c.id, _events.c.title, _events.c.status, _events.c.timezone).where(
    _events.c.id == sa.bindparam("event_id")
)
_ATTENDEE_COLUMNS = (
    _invitations.c.id,
    _invitations.c.event_id,
    _invitations.c.status,
    _invitations.c.is_walk_in,
    _contacts.c.full_name,
    _organisations.c.name,
)
_PEOPLE = _invitations.join(_contacts, _invitations.c.contact_id == _contacts.c.id).outerjoin(
    _organisations, _invitations.c.organisation_id == _organisations.c.id
)
_ATTENDEE_BY_ID = (
    sa.select(*_ATTENDEE_COLUMNS)
    .select_from(_PEOPLE)
    .where(_invitations.c.id == sa.bindparam("invitation_id"))
)
# A scan's one read: the event, and whoever the code belongs to (any event), in one round trip.
_EVENT_AND_CODE = (
    sa.select(*_EVENT.selected_columns, *_ATTENDEE_COLUMNS)
    .select_from(
        _events.outerjoin(_PEOPLE, _invitations.c.checkin_code_hash == sa.bindparam("code_hash"))
    )
    .where(_events.c.id == sa.bindparam("event_id"))
)
_FIRST_CHECKIN = sa.select(_checkins.c.id, _checkins.c.checked_in_at, _checkins.c.gate).where(
    _checkins.c.invitation_id == sa.bindparam("invitation_id"),
    _checkins.c.day == sa.bindparam("day"),
)
_EARLIER = (
    sa.update(_checkins)
    .where(
        _checkins.c.id == sa.bindparam("first_id"), _checkins.c.checked_in_at > sa.bindparam("when")
    )
    .values(
        checked_in_at=sa.bindparam("when"),
        gate=sa.bindparam("gate"),
        user_id=sa.bindparam("user_id"),
        method=sa.bindparam("method"),
    )
)
_STORED = sa.select(_scan_log.c.scanned, _scan_log.c.status_code, _scan_log.c.response).where(
    _scan_log.c.event_id == sa.bindparam("event_id"), _scan_log.c.nonce == sa.bindparam("nonce")
)
_LOG = _scan_log.insert()


def _connection() -> sa.Connection:
    return db.session.connection()


@dataclass(frozen=True)
class DoorEvent:
    """The few facts about an event the door needs (read without the ORM)."""

    id: int
    title: str
    status: EventStatus
    timezone: str

    @classmethod
    def load(cls, event_id: int) -> DoorEvent | None:
        row = _connection().execute(_EVENT, {"event_id": event_id}).first()
        return cls(*row) if row is not None else None

    @classmethod
    def load_with_code(
        cls, event_id: int, code_hash: str
    ) -> tuple[DoorEvent | None, Attendee | None]:
        """The event, and the invitation (of any event) whose code has this hash."""
        params = {"event_id": event_id, "code_hash": code_hash}
        row = _connection().execute(_EVENT_AND_CODE, params).first()
        if row is None:
            return None, None
        attendee = Attendee(*row[4:]) if row[4] is not None else None
        return cls(*row[:4]), attendee

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
        row = _connection().execute(_ATTENDEE_BY_ID, {"invitation_id": invitation_id}).first()
        return cls(*row) if row is not None else None

    def fields(self) -> dict[str, Any]:
        return {
            "invitation_id": self.invitation_id,
            "full_name": self.full_name,
            "organisation": self.organisation,
            "status": self.status.value,
            "is_walk_in": self.is_walk_in,
        }


def _local_time(event: DoorEvent | Event, moment: datetime) -> str:
    """A time of day in the event's zone, e.g. 09:41 (API messages are English, like every
    API message; the scanner page writes its own, translated, from the answer's fields)."""
    return moment.astimezone(event.zone).strftime("%H:%M")


_INSERT_CHECKIN: dict[str, Any] = {}


def _insert_checkin(values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING: the new row's id, or None when that person already has
    a check-in that day. On PostgreSQL a concurrent uncommitted insert of the same key makes
    this wait for it; the loser then sees the winner's committed row. (One statement instead of
    SAVEPOINT + INSERT + catching the IntegrityError + ROLLBACK TO SAVEPOINT.)"""
    conn = _connection()
    dialect = conn.dialect.name
    if dialect not in _INSERT_CHECKIN:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            insert = None
        _INSERT_CHECKIN[dialect] = (
            insert(_checkins)
            .on_conflict_do_nothing(index_elements=["invitation_id", "day"])
            .returning(_checkins.c.id)
            if insert is not None
            else None
        )
    stmt = _INSERT_CHECKIN[dialect]
    if stmt is not None:
        return conn.execute(stmt, values).scalar()
    try:  # other databases: a savepoint around a plain insert
        with db.session.begin_nested():
            return conn.execute(_checkins.insert().returning(_checkins.c.id), values).scalar()
    except IntegrityError:
        return None


@dataclass
class DoorAction:
    """One scan, manual check-in or walk-in at a gate, from decision to the check-in log."""

    event: DoorEvent
    nonce: str
    #: what the log shows as scanned (shortened: codes are secrets)
    scanned: str
    gate: str
    when: datetime
    user: User | None
    #: scan, manual or walk_in
    method: str

    def stored(self) -> Answer | None:
        """The answer already given for this nonce, if any."""
        log = (
            _connection().execute(_STORED, {"event_id": self.event.id, "nonce": self.nonce}).first()
        )
        if log is None:
            return None
        if log.scanned != self.scanned:
            raise ApiError(
                422,
                "validation_error",
                "The body is not valid.",
                {"nonce": "This nonce was already used for another scan."},
            )
        return Answer(log.status_code, dict(log.response))

    def cancelled(self) -> Answer:
        return answer(ScanResult.event_cancelled, "This event is cancelled.")

    def decide(self, attendee: Attendee) -> Answer:
        """For an invitation of this event: admit, unless the event or the invitation is off."""
        if self.event.is_cancelled:
            return self.cancelled()
        if attendee.status == InvitationStatus.revoked:
            return answer(ScanResult.revoked, "This invitation was revoked.", **attendee.fields())
        return self.admit(attendee)

    def admit(self, attendee: Attendee) -> Answer:
        """Check the attendee in for the day of the scan, or say when they already were."""
        event, when, gate = self.event, self.when, self.gate
        day = event_day(event, when)
        user_id = self.user.id if self.user else None
        values = {
            "event_id": event.id,
            "invitation_id": attendee.invitation_id,
            "day": day,
            "checked_in_at": when,
            "gate": gate,
            "method": self.method,
            "user_id": user_id,
            "created_at": utcnow(),
        }
        for _attempt in range(3):
            checkin_id = _insert_checkin(values)
            if checkin_id is not None:
                return answer(
                    ScanResult.ok,
                    "Checked in.",
                    **attendee.fields(),
                    checkin_id=checkin_id,
                    day=day,
                    checked_in_at=when,
                    gate=gate,
                )
            first = (
                _connection()
                .execute(_FIRST_CHECKIN, {"invitation_id": attendee.invitation_id, "day": day})
                .first()
            )
            if first is None:
                continue  # undone between our insert and our read: try again
            first_at, first_gate = first.checked_in_at, first.gate
            if when < first_at:
                # A queued offline scan made before the recorded one: the earliest scan wins.
                _connection().execute(
                    _EARLIER,
                    {
                        "first_id": first.id,
                        "when": when,
                        "gate": gate,
                        "user_id": user_id,
                        "method": self.method,
                    },
                )
                first_at, first_gate = when, gate
            message = (
                f"Already checked in at {_local_time(event, first.checked_in_at)} "
                f"(gate {first.gate or '-'})."
            )
            return answer(
                ScanResult.already_checked_in,
                message,
                **attendee.fields(),
                checkin_id=first.id,
                day=day,
                checked_in_at=when,
                gate=gate,
                first_checked_in_at=first_at,
                first_gate=first_gate,
                other_checked_in_at=first.checked_in_at,
                other_gate=first.gate,
            )
        raise ApiError(409, "conflict", "The check-in changed while we looked. Try again.")

    def finish(self, result: Answer) -> Answer:
        """Write the action to the check-in log and commit; a concurrent twin (same nonce)
        that committed first wins, and its answer is given instead."""
        result.body["method"] = self.method
        row = {
            "event_id": self.event.id,
            "nonce": self.nonce,
            "scanned": self.scanned,
            "gate": self.gate,
            "user_id": self.user.id if self.user else None,
            "invitation_id": result.body.get("invitation_id"),
            "scanned_at": self.when,
            "received_at": utcnow(),
            "result": result.result,
            "status_code": result.status,
            "response": result.body,
        }
        try:
            _connection().execute(_LOG, row)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            stored = self.stored()
            if stored is None:
                raise
            return stored
        return result
