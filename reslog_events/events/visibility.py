"""Which events a user works on: the one definition that event lists, pages, the API, the door
and the reports share (CONTRACT.md, "Users, unions and teams"; docs/security.md).

An event belongs to a union when its host is the union itself or one of the union's member
organisations. A union-scoped user (organiser, door staff or coordinator with a union) works on
their union's events and on the events whose team they are on; any other event answers 404 to
them and is left out of their lists. Programme-wide users (no union) and administrators see
every event.

Requests are checked before their handler runs: `core.api.endpoint` and
`auth.permissions.roles_required` call `check_view_args` with the request's view arguments, so
that an `event_id` in a route (or the id of a row that belongs to one event, registered with
`event_key`) can never reach a handler for an event the caller may not see. Lists narrow their
statements with `visible_to`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from ..auth.models import Role, User
from ..directory.models import union_membership
from ..extensions import db
from ..teams.models import TeamMember
from .models import Event

#: roles whose reach a union limits; administrators always see every event
SCOPED_ROLES = (Role.organiser, Role.staff, Role.coordinator)


class EventNotFound(NotFound):
    """Unknown, or not the caller's to see: the two answer alike, so that the answer does not
    tell another union's event ids apart from unused ones."""

    description = "Event not found."


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


def is_union_scoped(user: User) -> bool:
    # getattr: Flask-Login's anonymous user has neither
    return getattr(user, "union_id", None) is not None and getattr(user, "role", None) in (
        SCOPED_ROLES
    )


def team_event_ids(user_id: int) -> sa.Select:
    """Ids of the events whose team the user is on."""
    return sa.select(TeamMember.event_id).where(TeamMember.user_id == user_id)


def visible_to(user: User, event_id: sa.ColumnElement | None = None) -> sa.ColumnElement[bool]:
    """A WHERE clause: the event (`event_id`, by default `Event.id` of a select of events) is
    one the user may see. Always true for programme-wide users."""
    if not is_union_scoped(user):
        return sa.true()
    assert user.union_id is not None
    clause = sa.or_(hosted_by_union(user.union_id), Event.id.in_(team_event_ids(user.id)))
    if event_id is None:
        return clause
    return event_id.in_(sa.select(Event.id).where(clause))


def event_or_none(event_id: int, user: User) -> Event | None:
    """The event, if the user may see it."""
    return db.session.scalar(sa.select(Event).where(Event.id == event_id, visible_to(user)))


def acting_user() -> User:
    """The caller of this request: the API's (bearer token or session) or the page's."""
    from flask import g
    from flask_login import current_user

    return g.get("api_user") or current_user._get_current_object()


def hidden_from(user: User, event_ids: list[int]) -> set[int]:
    """Which of these events the user may not see."""
    if not is_union_scoped(user) or not event_ids:
        return set()
    seen = db.session.scalars(sa.select(Event.id).where(Event.id.in_(event_ids), visible_to(user)))
    return set(event_ids) - set(seen)


def event_or_404(event_id: int, user: User | None = None) -> Event:
    """The event for the caller (by default the request's), else 404 (also when it exists but
    belongs to another union's work)."""
    user = user or acting_user()
    event = db.session.get(Event, event_id)
    # the check the routes' decorators made a moment ago is trusted (SEEN_TRUST_SECONDS)
    if event is None or (is_union_scoped(user) and not _may_see(user, event_id)):
        raise EventNotFound()
    return event


#: view arguments naming a row that belongs to one event: name -> (id -> select of its event id)
_EVENT_KEYS: dict[str, Callable[[int], sa.Select]] = {}


def event_key(name: str, event_of: Callable[[int], sa.Select]) -> None:
    """Register a view argument (`session_id`, `site_id`…) whose row belongs to one event, so
    that every route taking it is checked like a route taking `event_id`."""
    _EVENT_KEYS[name] = event_of


#: How long a process trusts that a user may see an event it has checked (seconds), as it trusts
#: a verified API token (auth.operations.TOKEN_TRUST_SECONDS): a door phone's scans then skip
#: the check's query. A user taken off a team, or an event given another host, by another
#: process is refused by every process within this bound; through the ORM in this one, at once.
SEEN_TRUST_SECONDS = 5.0

#: (user id, union id, event id) -> monotonic time until which the user may see the event
_seen: dict[tuple[int, int | None, int], float] = {}


def forget_seen() -> None:
    _seen.clear()


def _may_see(user: User, event_id: int) -> bool:
    key = (user.id, user.union_id, event_id)
    until = _seen.get(key)
    if until is not None and until > time.monotonic():
        return True
    if event_or_none(event_id, user) is None:
        return False
    if len(_seen) > 10_000:  # expired entries are never read again: start afresh now and then
        _seen.clear()
    _seen[key] = time.monotonic() + SEEN_TRUST_SECONDS
    return True


def forget_on_change(session: Session, context: object) -> None:
    """A user, an event or a team changed in this process: check every event again."""
    if _seen and any(
        isinstance(obj, User | Event | TeamMember)
        for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        _seen.clear()


def check_view_args(user: User, view_args: Mapping[str, Any]) -> None:
    """404 unless every event the route names (by `event_id` or a registered key) is one the
    user may see. Nothing to do for programme-wide users: their handlers 404 unknown ids."""
    if not is_union_scoped(user):
        return
    for name, value in view_args.items():
        if name == "event_id":
            event_id = value
        elif name in _EVENT_KEYS:
            event_id = db.session.scalar(_EVENT_KEYS[name](value))
            if event_id is None:
                continue  # no such row: its handler answers 404 in its own words
        else:
            continue
        if not _may_see(user, event_id):
            raise EventNotFound()
