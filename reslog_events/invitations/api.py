"""JSON API of invitations: `/api/v1/events/{id}/invitations`, `…/reminders`, resend, progress.

A draft event may be given invitations: they are prepared (counted in `created`) and their emails
leave when the event is published (`emails_queued` says 0 until then). A cancelled or past event
refuses them (409).
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _
from pydantic import Field

from ..auth.permissions import EDITORS
from ..core.api import (
    ApiError,
    Id,
    Page,
    Schema,
    api_blueprint,
    endpoint,
    get_or_404,
)
from ..events.models import Event
from ..events.operations import lock_event
from ..extensions import db
from . import operations, queries
from .models import Invitation
from .reminders import remind_pending
from .schemas import (
    InvitationOut,
    InvitationQuery,
    InviteIn,
    InviteResult,
    RemindIn,
    RemindResult,
)

bp = api_blueprint("invitations_api", __name__)

#: /invitations/<id>/answer and the pages' nested ids: checked like an event id (init_app)
EVENT_KEYS = {"invitation_id": lambda i: sa.select(Invitation.event_id).where(Invitation.id == i)}

_CONFLICT = {409: "The event is cancelled, over, or not published yet"}


class ResendResult(Schema):
    outgoing_id: int


class ProgressQuery(Schema):
    from_id: Id | None = None
    kind: str | None = Field(None, max_length=32)


class ProgressOut(Schema):
    counts: dict[str, int]
    total: int
    done: bool
    #: empty, sending, sent (all handed to the provider), partial (some failed), failed (none)
    state: Literal["empty", "sending", "sent", "partial", "failed"]


def _event(event_id: int, *, lock: bool = False) -> Event:
    event = lock_event(event_id) if lock else db.session.get(Event, event_id)
    if event is None:
        raise ApiError(404, "not_found", "Event not found.")
    return event


@endpoint(
    bp,
    "/events/<int:event_id>/invitations",
    "POST",
    roles=EDITORS,
    body=InviteIn,
    response=InviteResult,
    status=202,
    summary="Invite contacts; the emails go out through the workers (after publication for a "
    "draft event)",
    extra_statuses=_CONFLICT,
)
def invite(event_id: int, body: InviteIn) -> InviteResult:
    event = _event(event_id, lock=True)
    try:
        outcome = operations.invite_contacts(
            event, body.contact_ids, invited_by=g.api_user, note=body.note
        )
    except operations.UnknownContacts as exc:
        raise ApiError(
            422,
            "unknown_contacts",
            _("Some contacts do not exist."),
            {"contact_ids": _("Unknown contacts: %(ids)s", ids=operations.shown(exc.ids))},
        ) from None
    db.session.commit()
    return InviteResult(
        created=outcome.created,
        already_invited=outcome.already_invited,
        emails_queued=outcome.emails_queued,
        first_outgoing_id=outcome.first_outgoing_id,
    )


@endpoint(
    bp,
    "/events/<int:event_id>/invitations",
    "GET",
    roles=EDITORS,
    query=InvitationQuery,
    response=InvitationOut,
    many=True,
    summary="The event's invitations (filters: status, email_status, checked_in, q)",
)
def list_invitations(event_id: int, query: InvitationQuery) -> Page:
    _event(event_id)
    return queries.invitations_page(event_id, query)


@endpoint(
    bp,
    "/events/<int:event_id>/reminders",
    "POST",
    roles=EDITORS,
    body=RemindIn,
    body_optional=True,
    response=RemindResult,
    status=202,
    summary="Remind the invitees still pending (each at most once per "
    "REMINDER_MIN_INTERVAL_HOURS); optional body {note}",
    extra_statuses=_CONFLICT,
)
def remind(event_id: int, body: RemindIn) -> RemindResult:
    event = _event(event_id, lock=True)
    outcome = remind_pending(event, by=g.api_user, note=body.note)
    db.session.commit()
    return RemindResult(reminded=outcome.reminded, skipped=outcome.skipped)


@endpoint(
    bp,
    "/events/<int:event_id>/invitations/<int:invitation_id>/resend",
    "POST",
    roles=EDITORS,
    response=ResendResult,
    status=202,
    summary="Send one invitation's email again",
    extra_statuses=_CONFLICT,
)
def resend(event_id: int, invitation_id: int) -> ResendResult:
    invitation = get_or_404(Invitation, invitation_id, "Invitation")
    if invitation.event_id != event_id:
        raise ApiError(404, "not_found", "Invitation not found.")
    outgoing_id = operations.resend_invitation(invitation, by=g.api_user)
    db.session.commit()
    return ResendResult(outgoing_id=outgoing_id)


@endpoint(
    bp,
    "/events/<int:event_id>/invitations/progress",
    "GET",
    roles=EDITORS,
    query=ProgressQuery,
    response=ProgressOut,
    summary="Where the event's emails are: queued, sending, sent, delivered, bounced, failed",
)
def progress(event_id: int, query: ProgressQuery) -> dict[str, Any]:
    _event(event_id)
    return queries.progress(event_id, query.from_id, query.kind)
