"""The organisers' page of an event's minutes and documents: the list with each item's
visibility, the upload form, and a file's download. The minutes' own pages are in
`minutes_views`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import EDITORS, roles_required
from ..core.web import form_data, validate_form
from ..events.display import event_period
from ..events.models import Event
from ..events.visibility import event_or_404
from ..extensions import db
from . import files, operations, queries
from .models import EventDocument, Visibility
from .responses import file_response
from .schemas import UploadFields, VisibilityIn
from .text import render_minutes

bp = Blueprint("documents", __name__)


def document_or_404(event_id: int, document_id: int) -> EventDocument:
    document = queries.document_of_event(event_id, document_id)
    if document is None:
        abort(404)
    return document


def documents_page(event: Event, values: dict[str, Any], errors: dict[str, str], status=200):
    return render_template(
        "documents/event.html",
        event=event,
        period=event_period(event),
        documents=queries.documents_of(event.id),
        visibilities=Visibility.choices(),
        extensions=files.EXTENSIONS,
        max_mb=operations.max_bytes() // (1024 * 1024),
        values=values,
        errors=errors,
    ), status


@bp.get("/events/<int:event_id>/documents")
@roles_required(*EDITORS)
def event_documents(event_id: int):
    return documents_page(event_or_404(event_id), {}, {})


@bp.post("/events/<int:event_id>/documents")
@roles_required(*EDITORS)
def upload(event_id: int):
    event = event_or_404(event_id)
    # (a body past MAX_CONTENT_LENGTH never gets here: the app's 413 page answers it)
    upload = request.files.get("file")
    data = form_data()
    fields, errors = validate_form(UploadFields, {"visibility": data.get("visibility")})
    if upload is None or not upload.filename:
        errors["file"] = _("Choose a file to attach.")
    if fields is None or errors:
        return documents_page(event, data, errors, 422)
    try:
        document = operations.add_file(
            event, upload.stream, upload.filename, fields.visibility, by=current_user
        )
    except operations.DocumentRefused as exc:
        db.session.rollback()
        return documents_page(event, data, exc.fields, exc.status)
    db.session.commit()
    flash(_("%(name)s was attached.", name=document.title), "success")
    return redirect(url_for(".event_documents", event_id=event.id), 303)


@bp.get("/events/<int:event_id>/documents/<int:document_id>")
@roles_required(*EDITORS)
def show(event_id: int, document_id: int):
    """A file downloads; minutes show as a page."""
    document = document_or_404(event_id, document_id)
    if document.is_file:
        return file_response(document)
    return render_template(
        "documents/minutes.html",
        event=document.event,
        period=event_period(document.event),
        document=document,
        body=render_minutes(document.body or ""),
        back=url_for(".event_documents", event_id=event_id),
        organiser_view=True,
    )


@bp.post("/events/<int:event_id>/documents/<int:document_id>/visibility")
@roles_required(*EDITORS)
def change_visibility(event_id: int, document_id: int):
    document = document_or_404(event_id, document_id)
    parsed, _errors = validate_form(VisibilityIn, {"visibility": request.form.get("visibility")})
    if parsed is None:
        flash(_("Choose who may see it."), "error")
    elif parsed.visibility != document.visibility:
        operations.change_visibility(document, parsed.visibility, by=current_user)
        db.session.commit()
        flash(_("%(name)s: %(who)s.", name=document.title, who=parsed.visibility.label), "success")
    return redirect(url_for(".event_documents", event_id=event_id), 303)


@bp.route("/events/<int:event_id>/documents/<int:document_id>/delete", methods=["GET", "POST"])
@roles_required(*EDITORS)
def delete(event_id: int, document_id: int):
    """A confirmation naming the item and who can see it; only its confirmed form deletes."""
    document = document_or_404(event_id, document_id)
    if request.method == "GET" or request.form.get("confirm") != "1":
        return render_template(
            "documents/confirm_delete.html",
            event=document.event,
            document=document,
            mailings=len(queries.mailings_of(document.id)),
        )
    title = document.title
    operations.delete_document(document, by=current_user)
    db.session.commit()
    flash(_("%(name)s was deleted.", name=title), "success")
    return redirect(url_for(".event_documents", event_id=event_id), 303)
