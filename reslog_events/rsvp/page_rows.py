"""The RSVP page's data as plain rows: the invitation, its contact, both organisations' names,
the event and its organiser, read by one Core statement into small objects with the attributes
the page and its helpers read (`event_period`, `organiser_contact`, `values_of`, …).

A fast path of the RSVP page (bench/pages.py, docs/benchmarks.md "Fast paths"): loading the
same statement as ORM objects (six entities, every column, the identity map) was a quarter of
the page's CPU. The features that read the invitation's relations themselves (the agenda's
session choice, the documents, the certificate of an ended event) get the ORM objects instead
(`queries.invitation_for_page`), and so does every write: `operations.answer` reloads the
invitation under the event's lock from its ids.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from ..auth.models import User
from ..core.columns import utcnow
from ..core.tokens import digest
from ..directory.models import Contact, Language, Organisation
from ..events.models import Event, EventFacts, EventKind, EventStatus
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from .queries import invitation_for_page


@dataclass(eq=False)
class Named:
    """An organisation, or the event's organiser, as the page names them."""

    name: str | None
    email: str | None = None


@dataclass(eq=False)
class EventRow(EventFacts):
    id: int
    title: str
    kind: EventKind
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str | None
    address: str | None
    city: str | None
    country: str | None
    online_url: str | None
    venue_notes: str | None
    capacity: int | None
    rsvp_deadline: datetime | None
    languages: list[str]
    description: str
    translations: dict[str, dict[str, str]]
    substitutes_need_approval: bool
    organiser: Named | None = None


@dataclass(eq=False)
class ContactRow:
    full_name: str
    language: Language
    organisation: Named | None = None


@dataclass(eq=False)
class InvitationRow:
    id: int
    event_id: int
    status: InvitationStatus
    waitlisted_at: datetime | None
    checkin_code_sealed: str
    diet_choices: list[str]
    dietary_needs: str | None
    access_choices: list[str]
    accessibility_needs: str | None
    interpretation_language: str | None
    consent_data_at: datetime | None
    consent_photos: bool | None
    event: EventRow | None = None
    contact: ContactRow | None = None
    organisation: Named | None = None


#: the columns read into each object (the related objects are set apart)
_EVENT = tuple(f.name for f in fields(EventRow) if f.name != "organiser")
_INVITATION = tuple(
    f.name for f in fields(InvitationRow) if f.name not in ("event", "contact", "organisation")
)


@cache
def _statement() -> sa.Select:
    """Built once per process (the models are mapped by then), with the token's hash as a
    parameter: SQLAlchemy then finds the compiled statement without working out the cache
    key of a new statement for every page."""
    invitations, events = Invitation.__table__, Event.__table__
    contacts, users = Contact.__table__, User.__table__
    own_org = Organisation.__table__.alias("invited_organisation")
    contact_org = Organisation.__table__.alias("contact_organisation")
    from ..documents.models import EventDocument, Visibility
    from ..programme.models import AgendaSession, ItinerarySite

    has_documents = sa.exists().where(
        EventDocument.event_id == invitations.c.event_id,
        EventDocument.visibility != Visibility.organisers,
    )
    has_programme = sa.or_(
        sa.exists().where(AgendaSession.event_id == invitations.c.event_id),
        sa.exists().where(ItinerarySite.event_id == invitations.c.event_id),
    )
    columns = [invitations.c[name].label(f"i_{name}") for name in _INVITATION]
    columns += [events.c[name].label(f"e_{name}") for name in _EVENT]
    columns += [
        contacts.c.full_name.label("c_full_name"),
        contacts.c.language.label("c_language"),
        own_org.c.name.label("invited_organisation"),
        contact_org.c.name.label("contact_organisation"),
        users.c.name.label("organiser_name"),
        users.c.email.label("organiser_email"),
        has_programme.label("has_programme"),
        has_documents.label("has_documents"),
    ]
    joined = (
        invitations.join(events, events.c.id == invitations.c.event_id)
        .join(contacts, contacts.c.id == invitations.c.contact_id)
        .outerjoin(own_org, own_org.c.id == invitations.c.organisation_id)
        .outerjoin(contact_org, contact_org.c.id == contacts.c.organisation_id)
        .outerjoin(users, users.c.id == events.c.organiser_id)
    )
    # the token as a parameter: the statement (and its cache key) is the same for every page
    token_hash = invitations.c.token_hash == sa.bindparam("token_hash")
    return sa.select(*columns).select_from(joined).where(token_hash)


def _named(name: str | None) -> Named | None:
    return Named(name) if name is not None else None


def _from_row(row: Any) -> InvitationRow:
    event = EventRow(**{name: row[f"e_{name}"] for name in _EVENT})
    if row["organiser_email"] is not None or row["organiser_name"] is not None:
        event.organiser = Named(row["organiser_name"], row["organiser_email"])
    contact = ContactRow(row["c_full_name"], row["c_language"], _named(row["contact_organisation"]))
    invitation = InvitationRow(**{name: row[f"i_{name}"] for name in _INVITATION})
    invitation.event, invitation.contact = event, contact
    invitation.organisation = _named(row["invited_organisation"])
    return invitation


def invitation_rows_for_page(token: str) -> tuple[InvitationRow | Invitation, bool, bool] | None:
    """As `queries.invitation_for_page`: the invitation of an RSVP link with what its page shows,
    whether the event has a programme and whether it shows invitees documents; as plain rows,
    or as ORM objects for the pages whose features read them (see the module's note)."""
    row = db.session.execute(_statement(), {"token_hash": digest(token)}).mappings().first()
    if row is None:
        return None
    if row["has_programme"] or row["has_documents"] or row["e_ends_at"] <= utcnow():
        return invitation_for_page(token)
    return _from_row(row), False, False
