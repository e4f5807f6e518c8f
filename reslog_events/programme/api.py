"""JSON API of the programme: agenda sessions, programme settings, itinerary sites, the
delegation and its itinerary emails, and clash warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Response, g
from flask_babel import gettext as _

from ..auth.permissions import EDITORS, EVENT_READERS
from ..core.api import ApiError, Page, api_blueprint, endpoint, get_or_404, paginate
from ..events.visibility import event_or_404
from ..extensions import db
from ..invitations.models import Invitation
from . import itinerary, operations, queries
from .clashes import asked_times, find_clashes
from .models import AgendaSession, DelegationMember, ItinerarySite
from .responses import member_out, session_out, settings_out
from .schemas import (
    ClashOut,
    ClashQuery,
    MemberIn,
    MemberOut,
    MemberPatch,
    ProgrammeSettingsIn,
    ProgrammeSettingsOut,
    SendItineraryIn,
    SendItineraryOut,
    SessionIn,
    SessionOut,
    SessionPatch,
    SessionQuery,
    SiteIn,
    SiteOut,
    SitePatch,
)

bp = api_blueprint("programme_api", __name__)

# The API's /sessions/…, /sites/… and /delegation/… (and the pages' nested ids) name rows of
# one event: checked like an event id before any handler runs (registered by init_app).
EVENT_KEYS = {
    "session_id": lambda i: sa.select(AgendaSession.event_id).where(AgendaSession.id == i),
    "site_id": lambda i: sa.select(ItinerarySite.event_id).where(ItinerarySite.id == i),
    "member_id": lambda i: (
        sa.select(Invitation.event_id)
        .join(DelegationMember, DelegationMember.invitation_id == Invitation.id)
        .where(DelegationMember.id == i)
    ),
}

_CONFLICT = {409: "The event's state does not allow this (cancelled), or a duplicate"}


def _write(action: Callable[[], Any]) -> Any:
    """Run a write and commit it (its refusals are domain errors, answered by @endpoint)."""
    result = action()
    db.session.commit()
    return result


# Sessions -----------------------------------------------------------------------------------------


@endpoint(
    bp,
    "/events/<int:event_id>/sessions",
    "GET",
    roles=EVENT_READERS,
    query=SessionQuery,
    response=SessionOut,
    many=True,
    summary="The event's agenda: sessions by start time (times in the event's zone)",
)
def list_sessions(event_id: int, query: SessionQuery) -> Page:
    event_or_404(event_id)
    page = paginate(queries.sessions_statement(event_id), query)
    seats = queries.seats_shown((s.id for s in page.items), g.api_user)
    return Page([session_out(s, g.api_user, seats) for s in page.items], page.total)


@endpoint(
    bp,
    "/events/<int:event_id>/sessions",
    "POST",
    roles=EDITORS,
    body=SessionIn,
    response=SessionOut,
    status=201,
    extra_statuses=_CONFLICT,
    summary="Add a session: inside the event, not overlapping another in the same room",
)
def create_session(event_id: int, body: SessionIn):
    event = event_or_404(event_id)
    session = _write(lambda: operations.create_session(event, body))
    return session_out(session, g.api_user, {}), 201


@endpoint(
    bp,
    "/sessions/<int:session_id>",
    "GET",
    roles=EVENT_READERS,
    response=SessionOut,
    summary="One agenda session",
)
def get_session(session_id: int) -> SessionOut:
    return session_out(get_or_404(AgendaSession, session_id, "Session"), g.api_user)


@endpoint(
    bp,
    "/sessions/<int:session_id>",
    "PATCH",
    roles=EDITORS,
    body=SessionPatch,
    response=SessionOut,
    extra_statuses=_CONFLICT,
    summary="Change a session (only the fields sent); a new time or place raises its sequence",
)
def update_session(session_id: int, body: SessionPatch) -> SessionOut:
    session = get_or_404(AgendaSession, session_id, "Session")
    _write(lambda: operations.update_session(session, body.changes()))
    return session_out(session, g.api_user)


@endpoint(
    bp,
    "/sessions/<int:session_id>",
    "DELETE",
    roles=EDITORS,
    status=204,
    extra_statuses=_CONFLICT,
    summary="Delete a session (members' calendars get a cancellation with the next itinerary)",
)
def delete_session(session_id: int) -> Response:
    session = get_or_404(AgendaSession, session_id, "Session")
    _write(lambda: operations.delete_session(session))
    return Response(status=204)


# Settings -----------------------------------------------------------------------------------------


@endpoint(
    bp,
    "/events/<int:event_id>/programme",
    "GET",
    roles=EVENT_READERS,
    response=ProgrammeSettingsOut,
    summary="The event's programme settings (session choice, note to the delegation)",
)
def get_settings(event_id: int) -> ProgrammeSettingsOut:
    return settings_out(event_or_404(event_id))


@endpoint(
    bp,
    "/events/<int:event_id>/programme",
    "PATCH",
    roles=EDITORS,
    body=ProgrammeSettingsIn,
    response=ProgrammeSettingsOut,
    summary="Change the programme settings (only the fields sent)",
)
def update_settings(event_id: int, body: ProgrammeSettingsIn) -> ProgrammeSettingsOut:
    event = event_or_404(event_id)
    values = {name: getattr(body, name) for name in body.model_fields_set}
    _write(lambda: operations.update_settings(event, values))
    return settings_out(event)


# Itinerary sites ----------------------------------------------------------------------------------


@endpoint(
    bp,
    "/events/<int:event_id>/sites",
    "GET",
    roles=EVENT_READERS,
    query=SessionQuery,
    response=SiteOut,
    many=True,
    summary="The sites of the event's itinerary, by day (the contact person's name, phone and "
    "email only for organisers and admins; null for other roles)",
)
def list_sites(event_id: int, query: SessionQuery) -> Page:
    event = event_or_404(event_id)
    sites = queries.sites_for(event)
    start = (query.page - 1) * query.per_page
    shown = [SiteOut.model_validate(site) for site in sites[start : start + query.per_page]]
    if g.api_user.role not in EDITORS:
        # the agenda shows every reader the visits; the host's contact person is the
        # organisers' business, as on the itinerary page that only they may open
        hidden = dict.fromkeys(("contact_name", "contact_phone", "contact_email"))
        shown = [site.model_copy(update=hidden) for site in shown]
    return Page(shown, len(sites))


@endpoint(
    bp,
    "/events/<int:event_id>/sites",
    "POST",
    roles=EDITORS,
    body=SiteIn,
    response=SiteOut,
    status=201,
    extra_statuses=_CONFLICT,
    summary="Add a site to a day of the itinerary (host, address, contact person)",
)
def create_site(event_id: int, body: SiteIn) -> ItinerarySite:
    event = event_or_404(event_id)
    return _write(lambda: operations.create_site(event, body))


@endpoint(
    bp,
    "/sites/<int:site_id>",
    "PATCH",
    roles=EDITORS,
    body=SitePatch,
    response=SiteOut,
    extra_statuses=_CONFLICT,
    summary="Change an itinerary site (only the fields sent)",
)
def update_site(site_id: int, body: SitePatch) -> ItinerarySite:
    site = get_or_404(ItinerarySite, site_id, "Site")
    return _write(lambda: operations.update_site(site, body.changes()))


@endpoint(
    bp,
    "/sites/<int:site_id>",
    "DELETE",
    roles=EDITORS,
    status=204,
    extra_statuses=_CONFLICT,
    summary="Remove an itinerary site",
)
def delete_site(site_id: int) -> Response:
    site = get_or_404(ItinerarySite, site_id, "Site")
    _write(lambda: operations.delete_site(site))
    return Response(status=204)


# Delegation ---------------------------------------------------------------------------------------


@endpoint(
    bp,
    "/events/<int:event_id>/delegation",
    "GET",
    roles=EDITORS,
    query=SessionQuery,
    response=MemberOut,
    many=True,
    summary="The travelling delegation: members, arrival and departure, notes",
)
def list_delegation(event_id: int, query: SessionQuery) -> Page:
    members = queries.delegation_of(event_or_404(event_id))
    start = (query.page - 1) * query.per_page
    return Page([member_out(m) for m in members[start : start + query.per_page]], len(members))


@endpoint(
    bp,
    "/events/<int:event_id>/delegation",
    "POST",
    roles=EDITORS,
    body=MemberIn,
    response=MemberOut,
    status=201,
    extra_statuses=_CONFLICT,
    summary="Add an invitee of the event to the delegation",
)
def add_member(event_id: int, body: MemberIn):
    event = event_or_404(event_id)
    member = _write(lambda: itinerary.add_member(event, body))
    return member_out(member), 201


@endpoint(
    bp,
    "/delegation/<int:member_id>",
    "PATCH",
    roles=EDITORS,
    body=MemberPatch,
    response=MemberOut,
    summary="Change a member's arrival, departure and notes (only the fields sent)",
)
def update_member(member_id: int, body: MemberPatch) -> MemberOut:
    member = get_or_404(DelegationMember, member_id, "Delegation member")
    _write(lambda: itinerary.update_member(member, body.changes()))
    return member_out(member)


@endpoint(
    bp,
    "/delegation/<int:member_id>",
    "DELETE",
    roles=EDITORS,
    status=204,
    summary="Remove a member from the delegation",
)
def remove_member(member_id: int) -> Response:
    member = get_or_404(DelegationMember, member_id, "Delegation member")
    _write(lambda: itinerary.remove_member(member))
    return Response(status=204)


@endpoint(
    bp,
    "/events/<int:event_id>/itinerary/send",
    "POST",
    roles=EDITORS,
    body=SendItineraryIn,
    response=SendItineraryOut,
    status=202,
    summary="Email the itinerary (with one calendar entry per session) to the delegation",
)
def send_itinerary(event_id: int, body: SendItineraryIn):
    event = event_or_404(event_id)
    members = None
    if body.member_ids is not None:
        members = [db.session.get(DelegationMember, i) for i in body.member_ids]
        if any(m is None or m.invitation.event_id != event.id for m in members):
            raise ApiError(
                422,
                "validation_error",
                _("The body is not valid."),
                {"member_ids": _("Choose members of this event's delegation.")},
            )
    queued = _write(lambda: itinerary.send_itinerary(event, members))
    return SendItineraryOut(queued=queued), 202


# Clashes ------------------------------------------------------------------------------------------


@endpoint(
    bp,
    "/events/<int:event_id>/clashes",
    "GET",
    roles=EDITORS,
    query=ClashQuery,
    response=ClashOut,
    many=True,
    summary="Clash warnings for the event's days (or for other times given as starts_at/ends_at)",
)
def list_clashes(event_id: int, query: ClashQuery) -> Page:
    event = event_or_404(event_id)
    starts, ends = asked_times(event, query)
    clashes = find_clashes(event, starts, ends)
    items = [
        ClashOut(
            kind=c.kind,
            message=c.message,
            day=c.day,
            other_event_id=c.other_event_id,
            other_event_title=c.other_event_title,
        )
        for c in clashes
    ]
    return Page(items, len(items))
