"""Request and response models of invitations, shared by the JSON API and the organisers' pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import Field, StringConstraints, field_validator, model_validator

from ..core.api import PageQuery, Schema
from ..core.validation import field_labels
from ..directory.schemas import Id
from .models import EmailStatus, InvitationStatus

#: contacts per call: a whole union's directory fits; beyond that, several calls
MAX_CONTACTS_PER_CALL = 20_000

Note = Annotated[str, StringConstraints(max_length=2000)]


class InviteIn(Schema):
    """Invite these contacts. `note` is the organiser's personal word in the email."""

    contact_ids: list[Id] = Field(min_length=1, max_length=MAX_CONTACTS_PER_CALL)
    note: Note | None = None

    @field_validator("contact_ids")
    @classmethod
    def _distinct(cls, value: list[int]) -> list[int]:
        return list(dict.fromkeys(value))


class InviteResult(Schema):
    created: int
    already_invited: int
    #: emails queued now (0 while the event is a draft: they leave when it is published)
    emails_queued: int = 0
    #: the first outbox id of this fan-out (the progress view follows ids from there)
    first_outgoing_id: int | None = None


class RemindIn(Schema):
    note: Note | None = None


class RemindResult(Schema):
    reminded: int
    #: pending invitees not reminded now: reminded within REMINDER_MIN_INTERVAL_HOURS, or
    #: without an email address
    skipped: int


class InvitationOut(Schema):
    id: int
    contact_id: int
    status: InvitationStatus
    #: null: no message was ever written to them (a walk-in registered at the door)
    email_status: EmailStatus | None
    checked_in_at: datetime | None = None
    full_name: str | None = None
    email: str | None = None
    invited_at: datetime
    responded_at: datetime | None = None
    reminded_at: datetime | None = None
    #: a colleague sent instead: the invitation of the person they replace
    substitute_for_id: int | None = None
    #: a colleague's invitation not sent yet: the event wants an organiser's approval
    awaiting_approval: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, data: Any) -> Any:
        # queries.invitations_statement yields (Invitation, first check-in time) rows
        if isinstance(data, tuple | list) or hasattr(data, "_mapping"):
            invitation, checked_in_at = data[0], data[1]
            contact = invitation.contact
            return {
                "id": invitation.id,
                "contact_id": invitation.contact_id,
                "status": invitation.status,
                "email_status": invitation.email_status,
                "checked_in_at": checked_in_at,
                "full_name": contact.full_name if contact else None,
                "email": contact.email if contact else None,
                "invited_at": invitation.invited_at,
                "responded_at": invitation.responded_at,
                "reminded_at": invitation.reminded_at,
                "substitute_for_id": invitation.substitute_for_id,
                "awaiting_approval": invitation.awaiting_approval,
            }
        return data


class InvitationQuery(PageQuery):
    status: InvitationStatus | None = None
    email_status: EmailStatus | None = None
    #: name or address of the contact (Turkish-aware: "sisli" finds Şişli)
    q: Annotated[str, StringConstraints(max_length=100)] | None = None
    checked_in: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v not in ("", None)}
        return data


field_labels(
    InviteIn,
    RemindIn,
    labels={"contact_ids": _l("Contacts"), "note": _l("A word from you in the email (optional)")},
)
