"""Requests and answers of the documents: the minutes' form, an upload's fields, a document in
the API (its metadata; the bytes are downloaded from the pages)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ..core.api import Schema
from .models import DocumentKind, Visibility

TITLE_MAX = 200
BODY_MAX = 50_000


class MinutesIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(min_length=1, max_length=BODY_MAX)
    visibility: Visibility = Visibility.organisers


class UploadFields(Schema):
    """The form fields beside the `file` of an upload."""

    visibility: Visibility = Visibility.organisers


class VisibilityIn(Schema):
    visibility: Visibility


class DocumentOut(Schema):
    id: int
    event_id: int
    kind: DocumentKind
    title: str
    visibility: Visibility
    #: files: the type found in the content, and the size in bytes
    content_type: str | None
    size_bytes: int | None
    #: the user who uploaded the file or last wrote the minutes (None once their account is gone)
    author_id: int | None
    created_at: datetime
    updated_at: datetime
