"""Who may do what: role sets used by pages and API endpoints alike."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from .models import Role

ADMINS = (Role.admin,)
#: manage the directory, events and invitations
EDITORS = (Role.admin, Role.organiser)
#: read the organisations directory
DIRECTORY_READERS = (Role.admin, Role.organiser, Role.coordinator)
#: check people in at the door
DOOR = (Role.admin, Role.organiser, Role.staff)
#: read the event list
EVENT_READERS = (Role.admin, Role.organiser, Role.staff, Role.coordinator)
#: attendance reports
REPORTERS = (Role.admin, Role.organiser, Role.coordinator)
#: the programme's results against its targets
RESULT_READERS = (Role.admin, Role.coordinator)


def roles_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For pages: log in first, then 403 unless the user has one of `roles`; 404 for an event
    (named in the path) outside a union-scoped user's union and teams."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            from ..events.visibility import check_view_args

            check_view_args(current_user, kwargs)
            return view(*args, **kwargs)

        return wrapper

    return decorator
