"""The programme API's responses built from its rows: an agenda session with its seats taken,
a delegation member with the invitee's name and language, the programme settings. Times stay
instants; the schemas give them in the event's zone (`timezone`)."""

from __future__ import annotations

from typing import Any

from ..events.models import Event
from . import queries
from .models import AgendaSession, DelegationMember
from .schemas import MemberOut, ProgrammeSettingsOut, SessionOut


def session_out(
    session: AgendaSession, reader: Any, seats: dict[int, int | None] | None = None
) -> SessionOut:
    """`seats`: the sessions' seats taken as `reader` may see them (`queries.seats_shown`),
    read for this session alone when not given."""
    if seats is None:
        seats = queries.seats_shown([session.id], reader)
    taken = seats.get(session.id, 0)
    values = {c: getattr(session, c) for c in SessionOut.model_fields if hasattr(session, c)}
    return SessionOut.model_validate(
        {**values, "timezone": session.event.timezone, "seats_taken": taken}
    )


def member_out(member: DelegationMember) -> MemberOut:
    invitation = member.invitation
    contact = invitation.contact
    return MemberOut(
        id=member.id,
        invitation_id=invitation.id,
        contact_id=contact.id,
        full_name=contact.full_name,
        organisation=invitation.organisation.name if invitation.organisation else None,
        language=contact.language.value,
        arrives_at=member.arrives_at,
        departs_at=member.departs_at,
        travel_details=member.travel_details,
        visa_notes=member.visa_notes,
        accommodation_notes=member.accommodation_notes,
        itinerary_sent_at=member.itinerary_sent_at,
        timezone=invitation.event.timezone,
    )


def settings_out(event: Event) -> ProgrammeSettingsOut:
    settings = queries.settings_of(event)
    return ProgrammeSettingsOut(
        event_id=event.id,
        allow_session_choice=settings.allow_session_choice,
        delegation_note=settings.delegation_note,
    )
