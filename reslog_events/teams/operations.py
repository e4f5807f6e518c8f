"""Writes on event teams: put a user on an event's team, take them off. Each flushes and is
recorded in the audit log (on the event) inside the caller's transaction; the caller commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import Role, User
from ..core.errors import DomainError
from ..events.models import Event
from ..events.visibility import forget_seen
from ..extensions import db
from .models import TeamMember

#: who can be on a team: co-organisers and door staff (others would gain nothing, or more
#: than the team is for)
TEAM_ROLES = (Role.organiser, Role.staff)


class TeamError(DomainError):
    """The user cannot be put on the team (422), with a message per field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(422, "validation_error", _("The body is not valid."), fields)


def member(event_id: int, user_id: int) -> TeamMember | None:
    return db.session.get(TeamMember, (event_id, user_id))


def add_to_team(event: Event, user_id: int, actor: User) -> tuple[TeamMember, bool]:
    """Put the user on the event's team: (membership, whether it is new). Adding someone who is
    on the team already changes nothing."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise TeamError({"user_id": _("Unknown user.")})
    if user.role not in TEAM_ROLES:
        raise TeamError({"user_id": _("Only organisers and door staff can be on a team.")})
    existing = member(event.id, user.id)
    if existing is not None:
        return existing, False
    membership = TeamMember(event_id=event.id, user=user, added_by_id=actor.id)
    db.session.add(membership)
    db.session.flush()
    record("event.team_add", event, {"user_id": user.id, "role": user.role.value})
    return membership, True


def remove_from_team(event: Event, user_id: int) -> bool:
    """Take the user off the event's team; False if they were not on it."""
    deleted = db.session.execute(
        sa.delete(TeamMember).where(TeamMember.event_id == event.id, TeamMember.user_id == user_id)
    ).rowcount
    if not deleted:
        return False
    forget_seen()  # a bulk delete: the ORM's flush does not see it
    record("event.team_remove", event, {"user_id": user_id})
    return True
