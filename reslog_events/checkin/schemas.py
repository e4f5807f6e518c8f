"""Request and response models of the check-in API (also used to validate the page's forms)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import EmailStr, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..core.api import Id, IsoDate, Moment, PageQuery, Schema
from ..core.turkish import email_lower
from ..core.validation import field_formats, field_labels
from ..directory.models import OrganisationKind

#: a client's id of one scan: letters, digits and - _ . : (a UUID from crypto.randomUUID)
NONCE_PATTERN = r"^[A-Za-z0-9._:\-]{8,100}$"


class ScanResult(StrEnum):
    """The answer to one scan, as the contract names them."""

    ok = "ok"
    already_checked_in = "already_checked_in"
    invalid = "invalid"
    wrong_event = "wrong_event"
    revoked = "revoked"
    event_cancelled = "event_cancelled"
    not_attending = "not_attending"
    wrong_day = "wrong_day"


#: HTTP status of each answer
RESULT_STATUS = {
    ScanResult.ok: 201,
    ScanResult.already_checked_in: 409,
    ScanResult.invalid: 404,
    ScanResult.wrong_event: 409,
    ScanResult.revoked: 409,
    ScanResult.event_cancelled: 409,
    ScanResult.not_attending: 409,
    ScanResult.wrong_day: 409,
}

#: invitation statuses the door turns away unless staff admit the person anyway (override)
NOT_ATTENDING = frozenset({"declined", "waitlisted", "substituted"})


class ScanBase(Schema):
    gate: str = Field(
        max_length=40,
        description="The door, e.g. 'A' or 'Main entrance' (required: every scan is logged "
        "with its gate).",
    )
    nonce: str = Field(
        pattern=NONCE_PATTERN,
        description="The client's id of this scan: sending it again replays the first answer.",
    )
    scanned_at: Moment | None = Field(
        None,
        description="When a queued (offline) scan happened; without an offset it is the "
        "event's wall-clock time. Default: now. The earliest scan of a day wins.",
    )
    override: bool = Field(
        False,
        description="Admit a person whose invitation is declined, waitlisted or substituted "
        "(after a not_attending answer): recorded as an override check-in.",
    )

    @field_validator("gate")
    @classmethod
    def _named_gate(cls, gate: str) -> str:
        gate = " ".join(gate.split())
        if not gate:
            # the scanner's own words: the door log names every scan's gate
            raise PydanticCustomError("gate_required", str(_("Give the gate a name, e.g. A.")))
        return gate


class ScanIn(ScanBase):
    code: str = Field(min_length=1, max_length=500, description="The text decoded from the QR.")


class ManualCheckInIn(ScanBase):
    invitation_id: Id


class WalkInIn(ScanBase):
    """A walk-in: an existing contact (`contact_id`) or a new one (`full_name`, …)."""

    contact_id: Id | None = None
    full_name: str | None = Field(None, min_length=2, max_length=200)
    email: EmailStr | None = None
    #: an organisation of the directory, by name (as listed) or code
    organisation: str | None = Field(None, max_length=200)
    #: an organisation not in the directory: with its kind it is recorded, unconfirmed, until an
    #: organiser confirms it or merges it into the one it really is
    organisation_kind: OrganisationKind | None = None
    #: its province: ISO 3166-2 code or name (in the event's country)
    organisation_province: str | None = Field(None, max_length=100)
    position: str | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _someone(self) -> WalkInIn:
        if self.contact_id is None and not self.full_name:
            raise ValueError(_("Give the person's full name (or pick an existing contact)."))
        return self

    @field_validator(
        "full_name",
        "organisation",
        "organisation_kind",
        "organisation_province",
        "position",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("email", mode="before")
    @classmethod
    def _blank_email(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        # as the directory keeps it (a Turkish keyboard's caps lock types İ for i)
        return email_lower(value) or None


class ScanOut(Schema):
    """The answer to a scan, a manual check-in or a walk-in."""

    result: ScanResult
    #: in English, like every API message; clients show their own words for `result`
    message: str
    invitation_id: int | None = None
    checkin_id: int | None = None
    full_name: str | None = None
    organisation: str | None = None
    #: the invitation's answer (declined, waitlisted or substituted: not_attending, unless
    #: admitted anyway)
    status: str | None = None
    is_walk_in: bool = False
    #: event-local day the scan counts for
    day: date | None = None
    checked_in_at: datetime | None = None
    gate: str | None = None
    #: already_checked_in: the recorded check-in of that day (the earliest scan)
    first_checked_in_at: datetime | None = None
    first_gate: str | None = None
    #: already_checked_in: the other scan this one duplicates (another gate, another phone)
    other_checked_in_at: datetime | None = None
    other_gate: str | None = None
    #: revoked: "retired_code" when a newer code replaced the one scanned; wrong_day: "early",
    #: "late" or "future" (a queued scan_at later than now)
    reason: str | None = None
    #: wrong_event: the event the code belongs to
    event_id: int | None = None
    event_title: str | None = None
    #: not_attending: when the invitee declined; their place on the waitlist
    responded_at: datetime | None = None
    waitlist_position: int | None = None
    #: ok: admitted although the invitation was declined, waitlisted or substituted
    override: bool = False
    #: wrong_day: the event's first and last day (event-local); "early", "late" or "future"
    first_day: date | None = None
    last_day: date | None = None
    #: ok: today's check-ins (this one included) exceed the event's capacity
    over_capacity: bool = False
    capacity: int | None = None
    checked_in_today: int | None = None
    #: scan, manual, walk_in or override
    method: str
    #: walk-ins: the contact used, and whether it was created at the door
    contact_id: int | None = None
    contact_created: bool | None = None
    #: refusals also carry the contract's error shape: {code (= result), message, fields}
    error: dict[str, Any] | None = None


class CheckInOut(Schema):
    id: int
    invitation_id: int
    day: date
    checked_in_at: datetime
    gate: str
    method: str
    user_id: int | None
    full_name: str
    organisation: str | None
    is_walk_in: bool


class UndoOut(Schema):
    undone: bool
    checkin_id: int
    invitation_id: int
    full_name: str
    #: a walk-in registered by mistake: its invitation is revoked too
    walk_in_revoked: bool = False


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=100)
    limit: int = Field(20, ge=1, le=50)


class SearchItem(Schema):
    """An invitee of the event (the search never lists anyone else)."""

    invitation_id: int | None
    contact_id: int
    full_name: str
    organisation: str | None
    #: the e-mail address half-hidden, enough to tell two namesakes apart
    email_hint: str | None
    status: str | None
    is_walk_in: bool
    checkin_id: int | None
    checked_in_at: datetime | None
    gate: str | None


class SearchOut(Schema):
    items: list[SearchItem]
    total: int


class ExpectedItem(Schema):
    invitation_id: int
    #: SHA-256 (hex) of the QR text; the codes themselves never leave the server
    code_hash: str
    full_name: str
    organisation: str | None
    status: str
    is_walk_in: bool
    checked_in_at: datetime | None
    gate: str | None
    #: declined: when; waitlisted: the place on the waitlist (for the amber screen offline)
    responded_at: datetime | None = None
    waitlist_position: int | None = None


class ExpectedOut(Schema):
    """The offline list: enough to validate a scan without the network."""

    event_id: int
    title: str
    timezone: str
    status: str
    #: today, in the event's zone; checked_in_at/gate tell today's check-in
    day: date
    #: the event's days (event-local): a scan on another day is wrong_day
    first_day: date
    last_day: date
    #: when the event ends: the phone forgets the list a day later
    ends_at: datetime
    capacity: int | None = None
    generated_at: datetime
    items: list[ExpectedItem]
    total: int
    #: hashes of rotated-away codes (scanning one answers revoked)
    retired_code_hashes: list[str]


class StatsOut(Schema):
    day: date
    #: check-ins today (event-local day)
    checked_in: int
    #: accepted invitations, the people the door expects
    expected: int
    #: invitations not revoked
    invited: int
    walk_ins: int
    by_gate: dict[str, int]
    capacity: int | None = None
    #: checked_in > capacity
    over_capacity: bool = False
    #: today is one of the event's days (event-local)
    is_event_day: bool = True
    first_day: date | None = None
    last_day: date | None = None


class CheckInListQuery(PageQuery):
    day: IsoDate | None = None
    gate: str | None = Field(None, max_length=40)


class ScanLogQuery(PageQuery):
    result: str | None = Field(None, max_length=32)
    gate: str | None = Field(None, max_length=40)


class ScanLogOut(Schema):
    id: int
    scanned_at: datetime
    received_at: datetime
    gate: str
    user_id: int | None
    user_name: str | None
    scanned: str
    result: str
    method: str
    #: admitted although not attending (declined, waitlisted, substituted)
    override: bool = False
    invitation_id: int | None
    full_name: str | None
    organisation: str | None


#: the scanner's labels (its search and walk-in forms), naming the fields in messages
field_labels(
    ScanBase,
    labels={
        "gate": _l("Gate"),
        "code": _l("Code (barcode reader, or type it)"),
        "invitation_id": _l("Invitee"),
        "full_name": _l("Full name"),
        "email": _l("E-mail (optional)"),
        "organisation": _l("Organisation (optional)"),
        "organisation_kind": _l("Kind of organisation"),
        "organisation_province": _l("Province"),
        "position": _l("Position (optional)"),
        # the client's id of a scan: named in its errors (a reused or malformed nonce)
        "nonce": _l("Scan id (nonce)"),
    },
)
field_formats(
    ScanBase,
    formats={"nonce": _l("8 to 100 letters, digits or - _ . : (a UUID will do).")},
)
