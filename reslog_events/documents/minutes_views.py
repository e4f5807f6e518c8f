"""The organisers' pages of the minutes: write them, edit them, and send them to the attendees
(a preview with the count, then a confirmation that sends once)."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.permissions import EDITORS, roles_required
from ..core.web import form_data, validate_form
from ..events.display import event_period
from ..events.models import Event
from ..events.visibility import event_or_404
from ..extensions import db
from ..invitations.models import Invitation
from . import operations, queries
from .models import EventDocument, Visibility
from .notifications import render_minutes_notice
from .schemas import MinutesIn
from .views import document_or_404

bp = Blueprint("minutes", __name__)


def _minutes_or_404(event_id: int, document_id: int) -> EventDocument:
    document = document_or_404(event_id, document_id)
    if document.is_file:
        abort(404)
    return document


def _form(event: Event, document: EventDocument | None, values: dict[str, Any], errors, status):
    return render_template(
        "documents/minutes_form.html",
        event=event,
        period=event_period(event),
        document=document,
        visibilities=Visibility.choices(),
        values=values,
        errors=errors,
    ), status


def _save(event: Event, document: EventDocument | None):
    data = form_data()
    parsed, errors = validate_form(MinutesIn, data)
    if parsed is None:
        return _form(event, document, data, {k.split(".")[0]: v for k, v in errors.items()}, 422)
    if document is None:
        document = operations.write_minutes(
            event, parsed.title, parsed.body, parsed.visibility, by=current_user
        )
    else:
        operations.update_minutes(
            document, parsed.title, parsed.body, parsed.visibility, by=current_user
        )
    db.session.commit()
    flash(_("The minutes are saved."), "success")
    return redirect(url_for("documents.event_documents", event_id=event.id), 303)


@bp.route("/events/<int:event_id>/documents/minutes/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new(event_id: int):
    event = event_or_404(event_id)
    if request.method == "POST":
        return _save(event, None)
    return _form(event, None, {"visibility": Visibility.attendees.value}, {}, 200)


@bp.route("/events/<int:event_id>/documents/<int:document_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(event_id: int, document_id: int):
    document = _minutes_or_404(event_id, document_id)
    if request.method == "POST":
        return _save(document.event, document)
    values = {
        "title": document.title,
        "body": document.body,
        "visibility": document.visibility.value,
    }
    return _form(document.event, document, values, {}, 200)


def _previews(document: EventDocument, members) -> list[dict[str, Any]]:
    """Per language among the reachable attendees: how many, and the email one of them gets."""
    by_language: dict[str, list[int]] = {}
    for invitation_id, email, language in members:
        if email:
            by_language.setdefault(language, []).append(invitation_id)
    previews = []
    for language, ids in sorted(by_language.items()):
        email = render_minutes_notice(document, db.session.get(Invitation, ids[0]), language)
        previews.append(
            {"language": language, "count": len(ids), "subject": email.subject, "text": email.text}
        )
    return previews


@bp.get("/events/<int:event_id>/documents/<int:document_id>/send")
@roles_required(*EDITORS)
def send_preview(event_id: int, document_id: int):
    document = _minutes_or_404(event_id, document_id)
    refusal = None
    try:
        operations.check_sendable(document)
    except operations.DocumentRefused as exc:
        refusal = exc.message  # said on the page, with the way to the minutes' visibility
    previews = [] if refusal else _previews(document, queries.attendees(event_id))
    return render_template(
        "documents/send.html",
        event=document.event,
        period=event_period(document.event),
        document=document,
        previews=previews,
        total=sum(p["count"] for p in previews),
        refusal=refusal,
        nonce=secrets.token_urlsafe(24),
        earlier=queries.mailings_of(document.id),
    )


@bp.post("/events/<int:event_id>/documents/<int:document_id>/send")
@roles_required(*EDITORS)
def send(event_id: int, document_id: int):
    document = _minutes_or_404(event_id, document_id)
    nonce = (form_data().get("nonce") or "")[:64]
    if len(nonce) < 16:
        abort(400)
    try:
        mailing, sent_now = operations.send_minutes(document, nonce, by=current_user)
    except operations.DocumentRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("documents.event_documents", event_id=event_id), 303)
    db.session.commit()
    if sent_now:
        message = ngettext(
            "The minutes are on their way to %(num)d person.",
            "The minutes are on their way to %(num)d people.",
            mailing.recipients,
        )
    else:
        message = _("These minutes were already sent with this confirmation: nothing more sent.")
    flash(message, "success")
    return redirect(url_for("documents.event_documents", event_id=event_id), 303)
