"""The certificate's two pages, without an account:

- `/rsvp/<token>/certificate.pdf`: the invitee's certificate of attendance, in their language,
  for an invitee checked in at an event that has ended; 404 for anyone else.
- `/verify/<code>`: the printed link's page, in the page's language; it confirms the name, the
  event and the days attended, nothing more (no organisation, no contact details).

A miss on either counts toward the per-address limit on guessing, like the RSVP page's.
"""

from __future__ import annotations

import re

from flask import Blueprint, Flask, abort, current_app, make_response, render_template
from flask_babel import force_locale, format_date

from ..events.models import Event
from ..extensions import db, limiter
from ..invitations.models import Invitation
from ..rsvp.invitee_pages import invitation_or_404, token_guessing_limit
from ..rsvp.links import event_place
from . import operations, queries
from .pdf import CertificateText, render_certificate

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


def verify_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/verify/{code}"


def _place(event: Event) -> str:
    place = event_place(event)
    if event.city and event.city not in place:
        place = f"{place}, {event.city}" if place else event.city
    return place


def certificate_text(invitation: Invitation, code: str) -> CertificateText:
    contact = invitation.contact
    organisation = invitation.organisation or contact.organisation
    return CertificateText(
        full_name=contact.full_name,
        organisation=organisation.name if organisation is not None else None,
        event_title=invitation.event.title,
        place=_place(invitation.event),
        days=queries.days_attended(invitation.id),
        verify_url=verify_url(code),
        language=contact.language.value,
    )


@bp.route("/rsvp/<token>/certificate.pdf")
@token_guessing_limit
def certificate_pdf(token: str):
    invitation = invitation_or_404(token)
    if not queries.attended_ended(invitation):
        abort(404)
    certificate = operations.issue_certificate(invitation)
    db.session.commit()
    text = certificate_text(invitation, certificate.code)
    with force_locale(text.language):
        pdf = render_certificate(text)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'inline; filename="certificate.pdf"'
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
        days=[format_date(day, "long") for day in days],
    )
    response = make_response(html)
    response.headers.update(_NO_STORE)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def certificate_available(invitation: Invitation) -> bool:
    """For the RSVP page: whether to link the certificate."""
    return queries.attended_ended(invitation)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["certificate_available"] = certificate_available
