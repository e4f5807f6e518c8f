from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..directory.models import Contact, Organisation
from ..events.models import Event
from ..extensions import db


class InvitationStatus(LabelledEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    tentative = "tentative"
    waitlisted = "waitlisted"
    revoked = "revoked"
    #: sent a colleague instead (the door turns them away unless admitted anyway)
    substituted = "substituted"


class EmailStatus(LabelledEnum):
    queued = "queued"
    sent = "sent"
    delivered = "delivered"
    bounced = "bounced"
    failed = "failed"


labels(
    {
        InvitationStatus.pending: _l("No answer yet"),
        InvitationStatus.accepted: _l("Accepted"),
        InvitationStatus.declined: _l("Declined"),
        InvitationStatus.tentative: _l("Tentative"),
        InvitationStatus.waitlisted: _l("Waitlisted"),
        InvitationStatus.revoked: _l("Revoked"),
        InvitationStatus.substituted: _l("Sent a colleague"),
    }
)

labels(
    {
        EmailStatus.queued: _l("Queued"),
        EmailStatus.sent: _l("Sent"),
        EmailStatus.delivered: _l("Delivered"),
        EmailStatus.bounced: _l("Bounced"),
        EmailStatus.failed: _l("Failed"),
    }
)


def _new_uid() -> str:
    return uuid.uuid4().hex


class Invitation(db.Model):
    """A contact invited to an event, and everything they answered."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "contact_id"),
        sa.Index("ix_invitations_event_status", "event_id", "status"),
        sa.Index("ix_invitations_waitlist", "event_id", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="RESTRICT"), index=True
    )
    #: the contact's organisation when invited: reports count the invitation there
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.pending
    )
    #: the latest message's fate; none (null) while no message was ever written to them (a
    #: walk-in registered at the door, with or without an address)
    email_status: Mapped[EmailStatus | None] = mapped_column(
        enum_column(EmailStatus), default=EmailStatus.queued, nullable=True
    )
    #: iCalendar UID of this invitation's calendar entry, stable across updates
    uid: Mapped[str] = mapped_column(sa.String(64), unique=True, default=_new_uid)
    #: SHA-256 of the RSVP link's token; the token itself is sealed (core.tokens)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_sealed: Mapped[str] = mapped_column(sa.String(255))
    #: SHA-256 of the QR check-in code (the scanner page's offline list holds these)
    checkin_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    checkin_code_sealed: Mapped[str] = mapped_column(sa.String(255))
    #: came to the door without an invitation
    is_walk_in: Mapped[bool] = mapped_column(default=False)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: order on the waitlist
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the event start the invitee was reminded of (the reminder before the event): set once
    #: by a conditional UPDATE, so each start is announced once; a new start is announced anew
    start_reminded_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the invitee told us with the answer (purged after the retention period).
    dietary_needs: Mapped[str | None] = mapped_column(sa.String(500))
    accessibility_needs: Mapped[str | None] = mapped_column(sa.String(500))
    #: language the invitee needs interpretation into
    interpretation_language: Mapped[str | None] = mapped_column(sa.String(2))
    #: dietary needs ticked from a fixed list (rsvp.schemas.DIETS), for the venue's counts
    diet_choices: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default="[]")
    #: access needs ticked from a fixed list (rsvp.schemas.ACCESS_NEEDS), e.g. "wheelchair"
    access_choices: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default="[]")
    #: when the invitee consented to the processing of their data (required to accept)
    consent_data_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_photos: Mapped[bool | None] = mapped_column()
    #: the invitation of the person who sent this colleague instead (their status: substituted)
    substitute_for_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="SET NULL"), unique=True
    )
    #: a colleague's invitation not sent yet: the event wants an organiser to approve it
    awaiting_approval: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    contact: Mapped[Contact] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[User | None] = relationship()
    substitute_for: Mapped[Invitation | None] = relationship(remote_side=[id])

    @property
    def is_active(self) -> bool:
        return self.status != InvitationStatus.revoked

    def __repr__(self) -> str:
        return f"<Invitation {self.id} event={self.event_id} contact={self.contact_id}>"


class RetiredCheckinCode(db.Model):
    """A check-in code replaced by a rotation: scanning it answers `revoked`, not `invalid`."""

    __tablename__ = "retired_checkin_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
