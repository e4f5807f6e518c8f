"""How one door action is decided and recorded, whatever started it (scan, search, walk-in).

The database is the referee between gates: `checkins` is unique per (invitation, day), so two
phones scanning the same code at once insert one row; the other reads the winner's row and
answers `already_checked_in`. `scan_log` is unique per (event, nonce), so an action sent twice
(a retry, an offline queue uploaded again) replays the stored first answer instead of acting
twice. Every action, refused or not, is written to `scan_log` in the transaction of its effect.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..core.api import ApiError
from ..core.columns import utcnow
from ..core.datetimes import iso_clock
from ..events.models import Event
from ..invitations.models import InvitationStatus
from . import statements as sql
from .door_facts import Answer, Attendee, DoorEvent, answer, shorten_scanned
from .schemas import NOT_ATTENDING, ScanResult

# The door's facts and answers (door_facts) are used from here by operations and the API.
__all__ = [
    "CLOCK_SKEW",
    "Answer",
    "Attendee",
    "DoorAction",
    "DoorEvent",
    "answer",
    "clock",
    "event_day",
    "event_days",
    "scan_time",
    "shorten_scanned",
]

#: a queued scan's time may run this far ahead of the server's clock (a phone's clock drifts);
#: later than that it is a future scan, never attendance
CLOCK_SKEW = timedelta(minutes=10)


def clock() -> datetime:
    """Now (UTC). Tests replace it to play a multi-day event."""
    return utcnow()


def event_day(event: DoorEvent | Event, moment: datetime) -> date:
    """The event-local date of a moment: multi-day events admit each person once a day."""
    return moment.astimezone(event.zone).date()


def event_days(event: DoorEvent | Event) -> tuple[date, date]:
    """The event's first and last day in its zone (an end at midnight ends the day before)."""
    zone = event.zone
    first = event.starts_at.astimezone(zone).date()
    end = event.ends_at.astimezone(zone)
    last = end.date()
    if end.time() == time(0) and last > first:
        last -= timedelta(days=1)
    return first, last


def scan_time(event: DoorEvent | Event, scanned_at: datetime | None) -> tuple[datetime, bool]:
    """When the scan happened (the scanner's time for queued scans), and whether that lies in
    the future. A phone whose clock runs a little fast is taken as now; a scan dated later
    than `CLOCK_SKEW` ahead is a future scan (refused as wrong_day)."""
    now = clock()
    if scanned_at is None:
        return now, False
    if scanned_at.tzinfo is None:
        scanned_at = scanned_at.replace(tzinfo=event.zone)
    try:
        moment = scanned_at.astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 or 9999 with an offset: not a real scan
        return now, True
    if moment > now + CLOCK_SKEW:
        return now, True
    return min(moment, now), False


def _local_time(event: DoorEvent | Event, moment: datetime) -> str:
    """A time of day in the event's zone, e.g. 09:41 (API messages are English, like every
    API message; the scanner page writes its own, translated, from the answer's fields)."""
    return iso_clock(moment, event.zone)


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
    #: scan, manual or walk_in (override: set when a not-attending person is admitted)
    method: str
    #: staff chose "Admit anyway" after a not_attending answer
    override: bool = False
    #: the scan's time lay in the future (see `scan_time`)
    future: bool = False

    def stored(self) -> Answer | None:
        """The answer already given for this nonce, if any."""
        params = {"event_id": self.event.id, "nonce": self.nonce}
        log = sql.connection().execute(sql.STORED, params).first()
        if log is None:
            return None
        if log.scanned != self.scanned:
            raise ApiError(
                422,
                "validation_error",
                _("The body is not valid."),
                {"nonce": _("This nonce was already used for another scan.")},
            )
        return Answer(log.status_code, dict(log.response))

    def cancelled(self) -> Answer:
        return answer(ScanResult.event_cancelled, "This event is cancelled.")

    def wrong_day(self, attendee: Attendee | None = None) -> Answer | None:
        """The refusal of a scan made on none of the event's days (or dated in the future)."""
        first, last = event_days(self.event)
        day = event_day(self.event, self.when)
        if self.future:
            reason = "future"
        elif day < first:
            reason = "early"
        elif day > last:
            reason = "late"
        else:
            return None
        dates = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
        return answer(
            ScanResult.wrong_day,
            f"Not a day of this event ({dates}).",
            **(attendee.fields() if attendee is not None else {}),
            day=day,
            first_day=first,
            last_day=last,
            reason=reason,
        )

    def not_attending(self, attendee: Attendee) -> Answer:
        facts = (
            sql.connection()
            .execute(sql.NOT_ATTENDING_FACTS, {"invitation_id": attendee.invitation_id})
            .first()
        )
        responded_at, position = facts if facts is not None else (None, None)
        return answer(
            ScanResult.not_attending,
            f"Not attending: the invitation is {attendee.status.value}.",
            **attendee.fields(),
            responded_at=responded_at,
            waitlist_position=position,
        )

    def decide(self, attendee: Attendee, **extra: Any) -> Answer:
        """For an invitation of this event: admit, unless the event or the invitation is off,
        the scan falls on none of the event's days, or the person is not attending (and staff
        did not choose to admit them anyway). `extra` fields go into the answer (and the log)."""
        if self.event.is_cancelled:
            result = self.cancelled()
        elif attendee.status == InvitationStatus.revoked:
            result = answer(ScanResult.revoked, "This invitation was revoked.", **attendee.fields())
        elif (refusal := self.wrong_day(attendee)) is not None:
            result = refusal
        elif attendee.status.value in NOT_ATTENDING and not self.override:
            result = self.not_attending(attendee)
        else:
            if attendee.status.value in NOT_ATTENDING:
                self.method = "override"
                extra = {**extra, "override": True}
            return self.admit(attendee, extra)
        result.body.update(extra)
        return result

    def _admitted(
        self,
        attendee: Attendee,
        checkin_id: int | None,
        day: date,
        extra: dict[str, Any],
        today: int | None = None,
    ) -> Answer:
        capacity = self.event.capacity
        over = today is not None and capacity is not None and today > capacity
        message = f"Checked in. Over capacity: {today} of {capacity}." if over else "Checked in."
        extra = {"override": False, **extra}
        return answer(
            ScanResult.ok,
            message,
            **attendee.fields(),
            checkin_id=checkin_id,
            day=day,
            checked_in_at=self.when,
            gate=self.gate,
            capacity=capacity,
            checked_in_today=today,
            over_capacity=over,
            **extra,
        )

    def _audit_override(self, attendee: Attendee, checkin_id: int, day: date) -> None:
        """An override is audited in the transaction of its check-in."""
        user_id = self.user.id if self.user else None
        sql.connection().execute(
            sql.AUDIT,
            {
                "created_at": utcnow(),
                "user_id": user_id,
                "actor": "user" if user_id else "system",
                "action": "checkin.override",
                "object_type": "invitation",
                "object_id": attendee.invitation_id,
                "data": {
                    "event_id": self.event.id,
                    "checkin_id": checkin_id,
                    "status": attendee.status.value,
                    "day": day.isoformat(),
                    "gate": self.gate,
                },
            },
        )

    def _admit_and_log(
        self, attendee: Attendee, values: dict[str, Any], extra: dict[str, Any]
    ) -> Answer | None:
        """PostgreSQL: check in and log in one statement. The answer (logged), or None when
        that person already has a check-in that day."""
        result = self._admitted(attendee, None, values["day"], extra)
        result.body["method"] = self.method
        params = {
            **values,
            **self._log_row(result),
            "response": json.dumps(result.body),
            "capacity": self.event.capacity,
        }
        try:
            admitted = sql.admit_and_log(params)
        except IntegrityError as error:  # a concurrent twin (same nonce) logged first
            return self._replay(error)
        if admitted is None:
            return None
        checkin_id, today = admitted
        if today is not None:
            result = self._admitted(attendee, checkin_id, values["day"], extra, today)
            result.body["method"] = self.method
        result.body["checkin_id"] = checkin_id
        result.logged = True
        return result

    def admit(self, attendee: Attendee, extra: dict[str, Any]) -> Answer:
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
        # An override is audited with its check-in: one transaction, not the one statement.
        override = self.method == "override"
        in_one_statement = sql.connection().dialect.name == "postgresql" and not override
        if override:
            sql.begin()
        for attempt in range(3):
            if in_one_statement and attempt == 0:
                logged = self._admit_and_log(attendee, values, extra)
                if logged is not None:
                    return logged
                checkin_id = None
                # Not admitted: what follows (the first check-in's read, moving it earlier,
                # the log row) is one transaction.
                sql.begin()
            else:
                checkin_id = sql.insert_checkin(values)
            if checkin_id is not None:
                if self.method == "override":
                    self._audit_override(attendee, checkin_id, day)
                today = None
                if event.capacity is not None:
                    params = {"event_id": event.id, "day": day}
                    today = sql.connection().execute(sql.CHECKED_IN_TODAY, params).scalar()
                return self._admitted(attendee, checkin_id, day, extra, today)
            first = (
                sql.connection()
                .execute(sql.FIRST_CHECKIN, {"invitation_id": attendee.invitation_id, "day": day})
                .first()
            )
            if first is None:
                continue  # undone between our insert and our read: try again
            first_at, first_gate = first.checked_in_at, first.gate
            if when < first_at:
                # A queued offline scan made before the recorded one: the earliest scan wins.
                sql.connection().execute(
                    sql.EARLIER,
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
                **extra,
            )
        raise ApiError(409, "conflict", _("The check-in changed while we looked. Try again."))

    def _log_row(self, result: Answer) -> dict[str, Any]:
        return {
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

    def _replay(self, error: IntegrityError) -> Answer:
        """After a clash on the nonce: the twin's stored answer."""
        sql.rollback()
        stored = self.stored()
        if stored is None:
            raise error
        stored.logged = True
        return stored

    def finish(self, result: Answer) -> Answer:
        """Write the action to the check-in log and commit; a concurrent twin (same nonce)
        that committed first wins, and its answer is given instead."""
        try:
            if not result.logged:
                result.body["method"] = self.method
                sql.connection().execute(sql.LOG, self._log_row(result))
            sql.commit()
        except IntegrityError as error:
            return self._replay(error)
        return result
