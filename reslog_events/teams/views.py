"""The team section of the event page: add a co-organiser or door staff member, take one off.
The section itself is rendered by the event page (events.views.detail)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import EDITORS, roles_required
from ..core.routing import parse_id
from ..events.visibility import event_or_404
from ..extensions import db
from . import operations

bp = Blueprint("teams", __name__)


def _back(event_id: int):
    return redirect(url_for("events.detail", event_id=event_id, _anchor="team-heading"))


@bp.post("/events/<int:event_id>/team")
@roles_required(*EDITORS)
def add(event_id: int):
    event = event_or_404(event_id)
    user_id = parse_id(request.form.get("user_id"))
    if user_id is None:
        flash(_("Choose a person to add."), "error")
        return _back(event.id)
    try:
        membership, new = operations.add_to_team(event, user_id, current_user)
    except operations.TeamError as exc:
        db.session.rollback()
        flash(next(iter(exc.fields.values())), "error")
        return _back(event.id)
    db.session.commit()
    if new:
        flash(_("%(name)s is on the team now.", name=membership.user.name), "success")
    return _back(event.id)


@bp.post("/events/<int:event_id>/team/<int:user_id>/remove")
@roles_required(*EDITORS)
def remove(event_id: int, user_id: int):
    event = event_or_404(event_id)
    if operations.remove_from_team(event, user_id):
        db.session.commit()
        flash(_("Taken off the team."), "success")
    return _back(event.id)
