"""JSON API of answers: the live counts and needs of an event (the answers page polls it), and
an answer recorded on an invitee's behalf."""

from __future__ import annotations

from flask import g

from ..auth.permissions import EDITORS
from ..core.api import ApiError, api_blueprint, endpoint, get_or_404
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation
from . import operations
from .queries import answer_counts, answers_open, needs_summary, waitlist_position
from .schemas import AnsweredOut, AnswersOut, ManualAnswer

bp = api_blueprint("rsvp_api", __name__)


@endpoint(
    bp,
    "/events/<int:event_id>/answers",
    "GET",
    roles=EDITORS,
    response=AnswersOut,
    summary="Counts of answers, seats left and the needs of those who accepted",
)
def event_answers(event_id: int) -> AnswersOut:
    event = get_or_404(Event, event_id, "Event")
    return AnswersOut(
        event_id=event.id,
        counts=answer_counts(event),
        needs=needs_summary(event),
        rsvp_open=answers_open(event),
        rsvp_deadline=event.rsvp_deadline,
    )


@endpoint(
    bp,
    "/invitations/<int:invitation_id>/answer",
    "POST",
    roles=EDITORS,
    body=ManualAnswer,
    response=AnsweredOut,
    summary="Answer on an invitee's behalf (audited); full events put `accept` on the waitlist",
    extra_statuses={409: "The invitation is revoked or the event cancelled"},
)
def answer_for_invitee(invitation_id: int, body: ManualAnswer) -> AnsweredOut:
    invitation = get_or_404(Invitation, invitation_id, "Invitation")
    try:
        result = operations.answer(invitation, body, by=g.api_user)
    except operations.AnswerRefused as exc:
        raise ApiError(
            409, exc.reason, f"The invitation cannot be answered ({exc.reason})."
        ) from None
    db.session.commit()
    return AnsweredOut(
        id=result.invitation.id,
        status=result.status,
        responded_at=result.invitation.responded_at,
        waitlist_position=waitlist_position(result.invitation),
        promoted_ids=[inv.id for inv in result.promoted],
    )
