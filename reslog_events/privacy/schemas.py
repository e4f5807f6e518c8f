"""Request and response models of the privacy endpoints: the export document (described in
full, so that the OpenAPI document tells a data-protection officer what an export holds), the
erasure request and its outcome, and the retention purge's counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ..core.api import Schema

#: the name an erased contact keeps: neutral, and still unique enough for an organiser's list
ERASED_NAME = "Erased contact #{id}"

EXPORT_FORMAT = "reslog-events/personal-data-export/1"


class EraseIn(Schema):
    """Erasure is final: the caller confirms it explicitly."""

    #: (a form's checkbox sends "on", which counts as true)
    confirm: bool = Field(description="Must be true: the person's data is removed for good.")
    #: the data subject's request, by its reference (a ticket number, a letter's date);
    #: not the person's name
    reference: Annotated[str, StringConstraints(max_length=200)] | None = None

    @field_validator("confirm")
    @classmethod
    def _must_confirm(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError(_("Confirm the erasure: it cannot be undone."))
        return value


class EraseOut(BaseModel):
    contact_id: int
    erased_at: datetime
    #: invitations kept (with their status and check-ins) but stripped of the person
    invitations: int
    #: emails not yet sent that will not be sent now
    emails_cancelled: int
    #: sent emails whose address and subject were removed
    emails_scrubbed: int
    scan_log_entries: int
    audit_entries_scrubbed: int
    #: contact lists uploaded for import, not confirmed yet, that named the person
    staged_imports_deleted: int = 0


# --- the export document ------------------------------------------------------------------------


class Exported(BaseModel):
    """Read from the model's attributes (enums become their values)."""

    model_config = ConfigDict(from_attributes=True)


class OrganisationExport(Exported):
    id: int
    name: str
    kind: str
    code: str | None
    country: str
    province: str | None
    district: str | None


class ContactExport(Exported):
    id: int
    full_name: str
    email: str | None
    phone: str | None
    position: str | None
    role_category: str
    gender: str
    language: str
    organisation: OrganisationExport | None
    email_bounced_at: datetime | None
    email_bounce_reason: str | None
    erased_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EventExport(Exported):
    id: int
    title: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str | None
    city: str | None
    country: str | None


class AnswersExport(Exported):
    dietary_needs: str | None
    accessibility_needs: str | None
    diet_choices: list[str]
    access_choices: list[str]
    interpretation_language: str | None


class ConsentsExport(Exported):
    #: when the person consented to the processing of their data (needed to accept)
    data_processing_at: datetime | None
    photos: bool | None


class CheckInExport(Exported):
    day: date
    checked_in_at: datetime
    gate: str
    method: str


class ScanExport(Exported):
    """A door scan tied to the invitation (what was scanned is not exported: a code is a
    secret)."""

    scanned_at: datetime
    received_at: datetime
    gate: str
    result: str


class DeliveryEventExport(Exported):
    event: str
    reason: str | None
    occurred_at: datetime


class EmailExport(Exported):
    """An email to the person: what, where, when and what became of it (not its body)."""

    id: int
    kind: str
    status: str
    to_address: str
    language: str
    subject: str | None
    created_at: datetime
    sent_at: datetime | None
    delivery_status: str | None
    delivery_events: list[DeliveryEventExport]


class SessionChoiceExport(Exported):
    session_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    chosen_at: datetime


class DelegationExport(Exported):
    arrives_at: datetime | None
    departs_at: datetime | None
    travel_details: str | None
    visa_notes: str | None
    accommodation_notes: str | None
    itinerary_sent_at: datetime | None


class CertificateExport(Exported):
    """A certificate of attendance issued to the person (its verification code is left out)."""

    issued_at: datetime
    emailed_at: datetime | None
    #: still confirmed by its verification link (not invalidated by a new link or code)
    valid: bool


class InvitationExport(Exported):
    id: int
    event: EventExport
    #: the organisation the person belonged to when invited (reports count it there)
    organisation_id: int | None
    status: str
    email_status: str | None
    is_walk_in: bool
    invited_at: datetime
    responded_at: datetime | None
    waitlisted_at: datetime | None
    revoked_at: datetime | None
    reminded_at: datetime | None
    #: the event start the reminder before the event announced
    start_reminded_for: datetime | None = None
    updated_at: datetime
    answers: AnswersExport
    consents: ConsentsExport
    checkins: list[CheckInExport]
    scans: list[ScanExport]
    emails: list[EmailExport]
    session_choices: list[SessionChoiceExport]
    delegation: DelegationExport | None
    certificate: CertificateExport | None = None


class AuditExport(Exported):
    id: int
    created_at: datetime
    action: str
    object_type: str
    object_id: int | None
    #: "user", "invitee", "system" or "cli"
    actor: str
    data: dict[str, Any]


class ContactDataExport(BaseModel):
    """Everything RESLOG Events holds about one person (GDPR Art. 15 and 20; KVKK Art. 11).

    Secrets are left out: the RSVP link's token and the check-in code (their hashes and sealed
    copies), and what the door scanner read.
    """

    format: str = EXPORT_FORMAT
    exported_at: datetime
    contact: ContactExport
    invitations: list[InvitationExport]
    audit: list[AuditExport]


# --- retention ---------------------------------------------------------------------------------


class PurgeResult(BaseModel):
    """What a retention purge cleared (or, in a dry run, would clear)."""

    cutoff: datetime
    months: int
    dry_run: bool = False
    events: int = 0
    invitations: int = 0
    delegation_members: int = 0
