"""An invitee's documents, through their RSVP link (no account): a file downloads, minutes show
as a page. What the link's holder may not see (another visibility, another event's document,
a revoked link) is a plain 404, and counts toward the per-address limit on guessing like the
RSVP page's misses."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, url_for

from ..events.display import event_period
from ..invitations.models import Invitation
from ..rsvp.invitee_pages import invitation_or_404, token_guessing_limit
from . import queries
from .responses import file_response
from .text import render_minutes

bp = Blueprint("invitee_documents", __name__)


@bp.get("/rsvp/<token>/documents/<int:document_id>")
@token_guessing_limit
def show(token: str, document_id: int):
    invitation = invitation_or_404(token)
    document = queries.invitee_document(invitation, document_id)
    if document is None:
        abort(404)
    if document.is_file:
        return file_response(document)
    response = make_response(
        render_template(
            "documents/minutes.html",
            event=invitation.event,
            period=event_period(invitation.event),
            document=document,
            body=render_minutes(document.body or ""),
            back=url_for("rsvp.page", token=token, _anchor="documents"),
            organiser_view=False,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def invitee_documents(invitation: Invitation) -> list:
    """For the RSVP page: the items this invitee may see."""
    return queries.visible_to_invitee(invitation)
