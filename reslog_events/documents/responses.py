"""A stored file as a download, for the organisers' page and the invitee's link alike.

The content type is the one sniffed at upload; `nosniff` keeps browsers from guessing another,
and a sandboxing Content-Security-Policy keeps even a file that fooled the sniffing from running
anything in the app's origin. Pictures may be shown in the browser; everything else downloads.
The name goes in RFC 6266/5987 form (`core.downloads`): an ASCII fallback and the real name as
`filename*`.
"""

from __future__ import annotations

from flask import Response, abort, request
from werkzeug.wsgi import wrap_file

from ..core.downloads import content_disposition
from .files import is_inline
from .models import EventDocument
from .storage import StoredFileMissing, get_storage


def file_response(document: EventDocument) -> Response:
    assert document.storage_key is not None and document.content_type is not None
    try:
        stream = get_storage().open(document.storage_key)
    except StoredFileMissing:
        abort(404)
    response = Response(
        wrap_file(request.environ, stream),
        mimetype=document.content_type,
        direct_passthrough=True,
    )
    if document.size_bytes is not None:
        response.content_length = document.size_bytes
    inline = is_inline(document.content_type)
    response.headers["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", document.title
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
