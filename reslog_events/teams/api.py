"""JSON API of event teams: `/api/v1/events/{id}/team`. Admins, and organisers who can see the
event (the event id is checked against the caller's union and teams by `endpoint`)."""

from __future__ import annotations

from typing import Any

from flask import Response, g

from ..auth.permissions import EDITORS
from ..core.api import Page, api_blueprint, endpoint, not_found
from ..events.visibility import event_or_404
from ..extensions import db
from . import operations, queries
from .models import TeamMember
from .schemas import TeamMemberIn, TeamMemberOut

bp = api_blueprint("teams_api", __name__)


def member_out(members: list[TeamMember]) -> list[dict[str, Any]]:
    unions = queries.union_codes([m.user_id for m in members])
    return [
        {
            "user_id": m.user_id,
            "name": m.user.name,
            "email": m.user.email,
            "role": m.user.role.value,
            "union": unions.get(m.user_id),
            "added_at": m.added_at,
        }
        for m in members
    ]


@endpoint(
    bp,
    "/events/<int:event_id>/team",
    "GET",
    roles=EDITORS,
    response=TeamMemberOut,
    many=True,
    summary="The event's team: co-organisers and door staff put on this event, of any union",
)
def list_team(event_id: int) -> Page:
    items = member_out(queries.team_of(event_or_404(event_id).id))
    return Page(items=items, total=len(items))


@endpoint(
    bp,
    "/events/<int:event_id>/team",
    "POST",
    roles=EDITORS,
    body=TeamMemberIn,
    response=TeamMemberOut,
    status=201,
    summary="Put a user (an organiser or door staff member of any union) on the event's team; "
    "audited. Someone on it already stays on it (same answer)",
)
def add_member(event_id: int, body: TeamMemberIn) -> dict[str, Any]:
    event = event_or_404(event_id)
    membership, _new = operations.add_to_team(event, body.user_id, g.api_user)
    db.session.commit()
    return member_out([membership])[0]


@endpoint(
    bp,
    "/events/<int:event_id>/team/<int:user_id>",
    "DELETE",
    roles=EDITORS,
    status=204,
    summary="Take a user off the event's team (404 if not on it); audited",
)
def remove_member(event_id: int, user_id: int) -> Response:
    if not operations.remove_from_team(event_or_404(event_id), user_id):
        raise not_found("Team member")
    db.session.commit()
    return Response(status=204)
