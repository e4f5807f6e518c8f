"""JSON API of an event's documents: list, upload (multipart), delete. Organisers and admins,
within their union and teams like every event endpoint. The bytes are downloaded from the
pages (`/events/{id}/documents/{document_id}`)."""

from __future__ import annotations

from flask import Response, g, request
from flask_babel import gettext as _

from ..auth.permissions import EDITORS
from ..core.api import (
    ApiError,
    Page,
    api_blueprint,
    endpoint,
    not_found,
    require_multipart,
)
from ..events.visibility import event_or_404
from ..extensions import db
from . import operations, queries
from .schemas import DocumentOut, UploadFields

bp = api_blueprint("documents_api", __name__)


@endpoint(
    bp,
    "/events/<int:event_id>/documents",
    "GET",
    roles=EDITORS,
    response=DocumentOut,
    many=True,
    summary="The event's files and minutes, with who may see each",
)
def list_documents(event_id: int) -> Page:
    documents = list(queries.documents_of(event_or_404(event_id).id))
    return Page(items=documents, total=len(documents))


@endpoint(
    bp,
    "/events/<int:event_id>/documents",
    "POST",
    roles=EDITORS,
    form=UploadFields,
    response=DocumentOut,
    status=201,
    summary="Attach a `file` (pdf, docx, xlsx, pptx, odt, ods, odp, png, jpeg, webp; checked by "
    "its content) with a `visibility` (organisers, invitees, attendees; default organisers)",
    extra_statuses={
        413: "File too large (DOCUMENTS_MAX_MB)",
        415: "Not multipart/form-data",
        422: "Not an allowed type, or empty",
    },
)
def upload_document(event_id: int, form: UploadFields):
    event = event_or_404(event_id)
    require_multipart()
    # (a body past MAX_CONTENT_LENGTH never gets here: the app answers 413 as JSON)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        message = _("Choose a file to attach.")
        raise ApiError(422, "validation_error", message, {"file": message})
    document = operations.add_file(
        event, upload.stream, upload.filename, form.visibility, by=g.api_user
    )
    db.session.commit()
    return document


@endpoint(
    bp,
    "/events/<int:event_id>/documents/<int:document_id>",
    "DELETE",
    roles=EDITORS,
    status=204,
    summary="Delete a file (and its stored bytes) or minutes",
)
def delete_document(event_id: int, document_id: int):
    event_or_404(event_id)
    document = queries.document_of_event(event_id, document_id)
    if document is None:
        raise not_found("Document")
    operations.delete_document(document, by=g.api_user)
    db.session.commit()
    return Response(status=204)
