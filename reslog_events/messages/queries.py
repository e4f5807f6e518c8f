"""Who is in an audience. Attended and no-shows are the attendance report's own definitions
(`reports.scope.ATTENDED`, `reports.scope.no_show`, over the same attendance facts), so a
message to the no-shows reaches exactly the people the report counts as no-shows."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..directory.models import Contact
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..reports.groupings import facts
from ..reports.scope import ATTENDED, ended_by, no_show
from .models import Audience

_BY_STATUS = {
    Audience.accepted: InvitationStatus.accepted,
    Audience.pending: InvitationStatus.pending,
    Audience.waitlisted: InvitationStatus.waitlisted,
    Audience.declined: InvitationStatus.declined,
}


def default_language(event: Event) -> str:
    """The language a message falls back to: the event's first language, else the app's."""
    languages = [str(language) for language in event.languages or ()]
    return languages[0] if languages else current_app.config["DEFAULT_LANGUAGE"]


def audience_statement(event_id: int, audience: Audience, now: datetime) -> sa.Select:
    """(invitation id, email, language) of the audience's invitees, revoked ones never;
    the email may be None (erased, or a walk-in without an address)."""
    stmt = (
        sa.select(Invitation.id, Contact.email, Contact.language)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(Invitation.event_id == event_id, Invitation.status != InvitationStatus.revoked)
        .order_by(Invitation.id)
    )
    if audience in _BY_STATUS:
        return stmt.where(Invitation.status == _BY_STATUS[audience])
    stmt = stmt.join(facts, facts.c.invitation_id == Invitation.id)
    if audience == Audience.attended:
        return stmt.where(ATTENDED)
    return stmt.where(no_show(ended_by(now)))


def audience_members(
    event_id: int, audience: Audience, now: datetime
) -> list[tuple[int, str | None, str]]:
    return [
        (row.id, row.email, row.language.value)
        for row in db.session.execute(audience_statement(event_id, audience, now))
    ]


def languages_of(members: list[tuple[int, str | None, str]]) -> dict[str, int]:
    """How many reachable members read each language."""
    counts: dict[str, int] = {}
    for _id, email, language in members:
        if email:
            counts[language] = counts.get(language, 0) + 1
    return counts
