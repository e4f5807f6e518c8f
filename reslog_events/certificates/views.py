"""The certificate's pages:

- `/rsvp/<token>/certificate.pdf` (no account): the invitee's certificate of attendance, in
  their language, for an invitee checked in at an event that has ended and gives certificates;
  404 for anyone else.
- `/verify/<code>` (no account): the printed link's page, in the page's language; it confirms
  the name, the event and the days attended, nothing more (no organisation, no contact details).
  A miss on either counts toward the per-address limit on guessing, like the RSVP page's.
- `/events/<id>/certificates.zip` (organisers): every participant's certificate in one file.
"""

from __future__ import annotations

import io
import re
import zipfile

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.operations import record
from ..auth.permissions import EDITORS, roles_required
from ..core.datetimes import day as day_text
from ..core.downloads import content_disposition
from ..events.models import CertificatePolicy, Event
from ..extensions import db, limiter
from ..invitations.models import Invitation
from ..rsvp.invitee_pages import invitation_or_404, token_guessing_limit
from . import documents, mailing, operations, queries

bp = Blueprint("certificates", __name__)

#: a code as issued (operations.CODE_BYTES): anything else is a miss without a look-up
_CODE = re.compile(r"[A-Za-z0-9_-]{16}")
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

#: guessing codes: as many misses as the RSVP links allow, per address
code_guessing_limit = limiter.shared_limit(
    "10 per minute;50 per hour",
    scope="certificate-code",
    deduct_when=lambda response: response.status_code == 404,
)


@bp.route("/rsvp/<token>/certificate.pdf")
@token_guessing_limit
def certificate_pdf(token: str):
    invitation = invitation_or_404(token)
    if not queries.offered_to(invitation):
        abort(404)
    certificate = operations.issue_certificate(invitation)
    db.session.commit()
    response = make_response(documents.certificate_pdf(certificate))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition("inline", "certificate.pdf")
    response.headers.update(_NO_STORE)
    return response


@bp.route("/verify/<code>")
@code_guessing_limit
def verify(code: str):
    found = queries.verified(code) if _CODE.fullmatch(code) else None
    if found is None:
        abort(404)
    certificate, days = found
    invitation = certificate.invitation
    html = render_template(
        "certificates/verify.html",
        full_name=invitation.contact.full_name,
        event=invitation.event,
        days=[day_text(d, "long") for d in days],
    )
    response = make_response(html)
    response.headers.update(_NO_STORE)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _zip_name(position: int, full_name: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", full_name).strip() or "certificate"
    return f"{position:03d} {safe[:80]}.pdf"


@bp.route("/events/<int:event_id>/certificates.zip")
@roles_required(*EDITORS)
def download_all(event_id: int):
    """Every participant's certificate in one ZIP, for the organisers."""
    event = db.get_or_404(Event, event_id)
    refusal = None
    if event.is_cancelled:
        refusal = _("The event is cancelled.")
    elif event.certificates == CertificatePolicy.off:
        refusal = _("This event gives no certificates of attendance.")
    elif not event.has_ended:
        refusal = _("Certificates are ready once the event has ended.")
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("events.detail", event_id=event.id), 303)
    certificates = [
        operations.issue_certificate(invitation, actor="user", user_id=current_user.id)
        for invitation in mailing.participants(event.id)
    ]
    record("certificates.download", event, {"certificates": len(certificates)})
    db.session.commit()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for position, certificate in enumerate(certificates, start=1):
            name = _zip_name(position, certificate.invitation.contact.full_name)
            archive.writestr(name, documents.certificate_pdf(certificate))
    response = make_response(buffer.getvalue())
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = content_disposition(
        "attachment", f"certificates-event-{event.id}.zip"
    )
    response.headers.update(_NO_STORE)
    return response


def certificate_available(invitation: Invitation) -> bool:
    """For the RSVP page: whether to link the certificate."""
    return queries.offered_to(invitation)
