"""The privacy pages of a contact: what is held, the JSON export, and erasure with a
confirmation step. Thin: queries and operations do the work."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import EDITORS, roles_required
from ..core.api import ApiError
from ..core.downloads import content_disposition
from ..core.web import form_data, validate_form
from ..directory.models import Contact
from ..events.visibility import is_union_scoped
from ..extensions import db
from . import operations
from .queries import contact_export, held_summary
from .schemas import EraseIn

bp = Blueprint("privacy", __name__)


@bp.get("/contacts/<int:contact_id>/privacy")
@roles_required(*EDITORS)
def contact_privacy(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    return render_template(
        "privacy/contact.html",
        contact=contact,
        held=held_summary(contact.id),
        partial_export=is_union_scoped(current_user),
    )


@bp.get("/contacts/<int:contact_id>/privacy/export.json")
@roles_required(*EDITORS)
def export_contact(contact_id: int):
    """The same document as the API's, as a download."""
    contact = db.get_or_404(Contact, contact_id)
    document = contact_export(contact, current_user)
    operations.record_export(contact, invitations=len(document.invitations), page=True)
    db.session.commit()
    body = json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return Response(
        body.encode("utf-8"),
        mimetype="application/json",
        headers={
            "Content-Disposition": content_disposition(
                "attachment", f"contact-{contact.id}-personal-data.json"
            ),
            "Cache-Control": "no-store",
        },
    )


@bp.route("/contacts/<int:contact_id>/privacy/erase", methods=["GET", "POST"])
@roles_required(*EDITORS)
def erase_contact(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    if contact.erased_at is not None:
        flash(_("This contact was erased already."), "info")
        return redirect(url_for("privacy.contact_privacy", contact_id=contact.id))
    values: dict = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = form_data()
        values.setdefault("confirm", False)
        data, errors = validate_form(EraseIn, values)
        if data is not None:
            try:
                operations.erase_contact(contact, reference=data.reference)
            except ApiError as exc:
                db.session.rollback()
                flash(exc.message, "error")
                return redirect(url_for("privacy.contact_privacy", contact_id=contact_id))
            db.session.commit()
            flash(
                _(
                    "The contact was erased. Their invitations still count in the reports, "
                    "without the person."
                ),
                "success",
            )
            return redirect(url_for("directory.contacts"))
        if "confirm" in errors:
            errors["confirm"] = _("Tick the box to confirm: erasure cannot be undone.")
    return render_template(
        "privacy/erase.html",
        contact=contact,
        held=held_summary(contact.id),
        values=values,
        errors=errors,
    ), 422 if errors else 200
