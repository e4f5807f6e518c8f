"""The privacy JSON API: a contact's data export, and erasure (see docs/privacy.md)."""

from __future__ import annotations

from flask import g

from ..auth.permissions import EDITORS
from ..core.api import api_blueprint, endpoint, get_or_404
from ..directory.models import Contact
from ..extensions import db
from . import operations
from .queries import contact_export
from .schemas import ContactDataExport, EraseIn, EraseOut

bp = api_blueprint("privacy_api", __name__)


@endpoint(
    bp,
    "/contacts/<int:contact_id>/export",
    "GET",
    roles=EDITORS,
    response=ContactDataExport,
    summary="Everything held about a contact, as JSON (secrets left out); audited",
)
def export_contact(contact_id: int) -> ContactDataExport:
    contact = get_or_404(Contact, contact_id, "Contact")
    document = contact_export(contact, g.api_user)
    operations.record_export(contact, invitations=len(document.invitations))
    db.session.commit()
    return document


@endpoint(
    bp,
    "/contacts/<int:contact_id>/erase",
    "POST",
    roles=EDITORS,
    body=EraseIn,
    response=EraseOut,
    summary="Erase a contact: the person is removed everywhere, the counts stay. Needs "
    '{"confirm": true}; final',
    extra_statuses={409: "The contact was erased already"},
)
def erase_contact(contact_id: int, body: EraseIn) -> EraseOut:
    contact = get_or_404(Contact, contact_id, "Contact")
    outcome = operations.erase_contact(contact, reference=body.reference)
    db.session.commit()
    return outcome
