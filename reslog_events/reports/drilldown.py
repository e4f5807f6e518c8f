"""The drill-down from an organisation to the people it sent (for roles allowed to see them)."""

from __future__ import annotations

import sqlalchemy as sa

from ..directory.models import Contact
from ..events.models import Event
from ..invitations.models import Invitation
from .groupings import facts
from .scope import Scope, facts_in_scope


def participants(scope: Scope) -> sa.Select:
    """Invitations in scope with the person, the event and the days attended (drill-down;
    for roles allowed to see people). Newest events first, then names in Turkish order."""
    return (
        sa.select(
            Invitation.id,
            Contact.full_name,
            Contact.position,
            Event.id.label("event_id"),
            Event.title.label("event_title"),
            Event.starts_at,
            Event.timezone,
            Invitation.status,
            Invitation.is_walk_in,
            facts.c.days,
        )
        .select_from(Invitation)
        .join(facts, facts.c.invitation_id == Invitation.id)
        .join(Contact, Contact.id == Invitation.contact_id)
        .join(Event, Event.id == Invitation.event_id)
        .where(facts.c.invitation_id.in_(facts_in_scope([facts.c.invitation_id], scope)))
        .order_by(Event.starts_at.desc(), Contact.sort_key)
    )
