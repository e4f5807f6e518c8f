"""Reads: an event's documents for the organisers, and the ones an invitee may see.

Who attended is the attendance report's own definition (through the messages' "attended"
audience), so the minutes reach, and are shown to, exactly the people the report counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from ..core.columns import utcnow
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..messages.models import Audience
from ..messages.queries import audience_members, audience_statement
from .models import DocumentKind, EventDocument, MinutesMailing, Visibility


def documents_of(event_id: int) -> Sequence[EventDocument]:
    """Minutes first, then files; the newest first within each."""
    return db.session.scalars(
        sa.select(EventDocument)
        .where(EventDocument.event_id == event_id)
        .order_by(
            (EventDocument.kind == DocumentKind.minutes).desc(),
            EventDocument.updated_at.desc(),
            EventDocument.id.desc(),
        )
    ).all()


def document_of_event(event_id: int, document_id: int) -> EventDocument | None:
    return db.session.scalar(
        sa.select(EventDocument).where(
            EventDocument.id == document_id, EventDocument.event_id == event_id
        )
    )


def has_attended(invitation: Invitation) -> bool:
    stmt = audience_statement(invitation.event_id, Audience.attended, utcnow())
    return bool(db.session.scalar(sa.select(stmt.where(Invitation.id == invitation.id).exists())))


def _link_shows_nothing(invitation: Invitation) -> bool:
    return invitation.status == InvitationStatus.revoked or invitation.event.is_cancelled


def visibilities_for(invitation: Invitation) -> tuple[Visibility, ...]:
    """What the holder of this invitation's link may see: nothing on a revoked link or a
    cancelled event; the invitees' items; and the attendees' too once they were checked in."""
    if _link_shows_nothing(invitation):
        return ()
    if has_attended(invitation):
        return (Visibility.invitees, Visibility.attendees)
    return (Visibility.invitees,)


def visible_to_invitee(invitation: Invitation) -> list[EventDocument]:
    """For the RSVP page (a busy one): one query when the event shows invitees nothing, the
    attendance asked only when there is something for attendees."""
    if _link_shows_nothing(invitation):
        return []
    shown = [d for d in documents_of(invitation.event_id) if d.visibility != Visibility.organisers]
    if any(d.visibility == Visibility.attendees for d in shown) and not has_attended(invitation):
        return [d for d in shown if d.visibility == Visibility.invitees]
    return shown


def invitee_document(invitation: Invitation, document_id: int) -> EventDocument | None:
    """The document if this link's holder may see it, else None (answered as a 404)."""
    document = document_of_event(invitation.event_id, document_id)
    if document is None or document.visibility not in visibilities_for(invitation):
        return None
    return document


def attendees(event_id: int) -> list[tuple[int, str | None, str]]:
    """(invitation id, email, language) of everyone who attended."""
    return audience_members(event_id, Audience.attended, utcnow())


def mailings_of(document_id: int) -> Sequence[MinutesMailing]:
    return db.session.scalars(
        sa.select(MinutesMailing)
        .where(MinutesMailing.document_id == document_id)
        .order_by(MinutesMailing.id.desc())
    ).all()
