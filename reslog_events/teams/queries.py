"""Reads on event teams: who is on one event's team, and whom the page offers to add."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from ..auth.models import User
from ..core.turkish import sort_key
from ..directory.models import Organisation
from ..extensions import db
from .models import TeamMember
from .operations import TEAM_ROLES


def team_of(event_id: int) -> list[TeamMember]:
    """The event's team, by name (Turkish order)."""
    members = db.session.scalars(
        sa.select(TeamMember)
        .where(TeamMember.event_id == event_id)
        .options(orm.joinedload(TeamMember.user))
    )
    return sorted(members, key=lambda m: (sort_key(m.user.name), m.user_id))


def union_codes(user_ids: list[int]) -> dict[int, str]:
    """The union code (or name) of each of these users who has one."""
    rows = db.session.execute(
        sa.select(User.id, Organisation.code, Organisation.name)
        .join(Organisation, Organisation.id == User.union_id)
        .where(User.id.in_(user_ids))
    )
    return {row.id: row.code or row.name for row in rows}


def candidates(event_id: int) -> list[User]:
    """Active organisers and door staff, of any union, not on the event's team yet."""
    on_team = sa.select(TeamMember.user_id).where(TeamMember.event_id == event_id)
    users = db.session.scalars(
        sa.select(User).where(
            User.active.is_(True), User.role.in_(TEAM_ROLES), User.id.not_in(on_team)
        )
    )
    return sorted(users, key=lambda u: (sort_key(u.name), u.id))
