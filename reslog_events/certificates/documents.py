"""A participant's certificate as a PDF, from the records (the PDF page, the email, the ZIP)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from ..events.models import Event
from ..invitations.models import Invitation
from ..rsvp.links import event_place
from . import queries
from .models import Certificate
from .pdf import CertificateText, render_certificate


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
        event_title=invitation.event.title_in(contact.language.value),
        place=_place(invitation.event),
        days=queries.days_attended(invitation.id),
        verify_url=verify_url(code),
        language=contact.language.value,
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    """The PDF of `certificate`, in its participant's language."""
    language = certificate.invitation.contact.language.value
    with force_locale(language):  # the place's parts are ordered for the language too
        return render_certificate(certificate_text(certificate.invitation, certificate.code))
