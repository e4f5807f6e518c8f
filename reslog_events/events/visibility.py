"""Which events a union works on: the one definition that event lists, pages, the door and the
reports share (CONTRACT.md, "Users, unions and teams").

An event belongs to a union when its host is the union itself or one of the union's member
organisations. Event teams (people of other unions put on one event) extend a user's reach on
top of this; see the teams feature.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..directory.models import union_membership
from .models import Event


def union_host_ids(union_id: int) -> sa.Select:
    """Ids of the organisations whose events the union works on: the union and its members."""
    members = sa.select(union_membership.c.organisation_id).where(
        union_membership.c.union_id == union_id
    )
    return sa.union(sa.select(sa.literal(union_id)), members)


def hosted_by_union(union_id: int, host_column: sa.ColumnElement | None = None):
    """A WHERE clause: the event (`host_column`, by default `Event.host_organisation_id`) is
    hosted by the union or one of its members."""
    column = Event.host_organisation_id if host_column is None else host_column
    return column.in_(union_host_ids(union_id))
