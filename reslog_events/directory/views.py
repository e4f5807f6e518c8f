"""The directory's pages: organisations and contacts (lists, detail, forms) and contact import
(upload → preview → confirm). Thin: queries, operations and schemas do the work."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import DIRECTORY_READERS, EDITORS, roles_required
from ..core.api import ApiError, PageQuery
from ..core.countries import country_choices, country_code
from ..core.downloads import content_disposition
from ..core.routing import parse_id
from ..core.spreadsheets import csv_bytes
from ..core.validation import labelled
from ..core.web import form_data, validate_form
from ..extensions import db
from . import operations, unconfirmed
from .imports import MAX_BYTES, plan_import, staging
from .imports.columns import FIELDS
from .models import Contact, Gender, Language, Organisation, OrganisationKind, RoleCategory
from .provinces import province, province_groups, province_name, resolve_any
from .queries import contacts_query, organisations_query, provinces, to_review, unions
from .schemas import (
    ContactIn,
    ContactPatch,
    ContactQuery,
    OrganisationIn,
    OrganisationPatch,
    OrganisationQuery,
)

bp = Blueprint("directory", __name__)
bp.add_app_template_filter(province_name, "province_name")
# for forms outside the directory that record an organisation (the door's walk-in form)
bp.add_app_template_global(province_groups, "province_groups")
bp.add_app_template_global(OrganisationKind.choices, "organisation_kinds")

#: rows of the import preview shown on the page (all errors are always shown)
PREVIEW_ROWS = 200


def _list_query(model: type[PageQuery]) -> tuple[Any, bool]:
    """The list's filters from the URL; a bad value is dropped rather than failing the page."""
    args = {k: v for k, v in request.args.items() if k in model.model_fields}
    query, errors = validate_form(model, args)
    if errors:
        query, _errors = validate_form(model, {k: v for k, v in args.items() if k not in errors})
    query = query or model()
    filtered = any(
        getattr(query, name) not in (None, False)
        for name in model.model_fields
        if name not in ("page", "per_page")
    )
    return query, filtered


def _page(stmt: sa.Select, query: PageQuery) -> tuple[list[Any], int]:
    from ..core.api import paginate

    page = paginate(stmt, query)
    return list(page.items), page.total


def _choices() -> dict[str, Any]:
    return {
        "kinds": OrganisationKind.choices(),
        "roles": RoleCategory.choices(),
        "genders": Gender.choices(),
        "languages": Language.choices(),
        "unions": [(u.code, u.name) for u in unions() if u.code],
        "provinces": provinces(),
    }


def _can_edit() -> bool:
    return current_user.role in EDITORS


# --- organisations ---------------------------------------------------------------------------


@bp.get("/organisations")
@roles_required(*DIRECTORY_READERS)
def organisations():
    query, filtered = _list_query(OrganisationQuery)
    items, total = _page(organisations_query(query), query)
    countries = db.session.scalars(
        sa.select(Organisation.country).distinct().order_by(Organisation.country)
    ).all()
    return render_template(
        "directory/organisations.html",
        organisations=items,
        total=total,
        query=query,
        filtered=filtered,
        countries=country_choices(countries),
        can_edit=_can_edit(),
        to_review=to_review() if _can_edit() else {},
        **_choices(),
    )


@bp.get("/organisations/<int:organisation_id>")
@roles_required(*DIRECTORY_READERS)
def organisation(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    members = sorted(org.members, key=lambda o: o.sort_key)
    contacts = None
    if _can_edit():
        contacts = db.session.scalars(
            contacts_query(ContactQuery(organisation_id=org.id)).limit(500)
        ).all()
    return render_template(
        "directory/organisation.html",
        organisation=org,
        members=members,
        contacts=contacts,
        can_edit=_can_edit(),
        merge_choices=_organisation_choices() if _can_edit() and not org.confirmed else [],
    )


@bp.post("/organisations/<int:organisation_id>/confirm")
@roles_required(*EDITORS)
def confirm_organisation(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    try:
        unconfirmed.confirm_organisation(org)
        db.session.commit()
        flash(_("The organisation was confirmed."), "success")
    except ApiError as exc:
        flash(exc.message, "error")
    return redirect(url_for("directory.organisation", organisation_id=org.id))


@bp.post("/organisations/<int:organisation_id>/merge")
@roles_required(*EDITORS)
def merge_organisation(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    into = parse_id(request.form.get("into"))
    target = db.session.get(Organisation, into) if into is not None else None
    if target is None:
        flash(_("Choose the organisation to merge into."), "error")
        return redirect(url_for("directory.organisation", organisation_id=org.id))
    try:
        unconfirmed.merge_organisation(org, target)
        db.session.commit()
    except ApiError as exc:
        flash(exc.message, "error")
        return redirect(url_for("directory.organisation", organisation_id=org.id))
    flash(_("The organisation was merged into this one."), "success")
    return redirect(url_for("directory.organisation", organisation_id=target.id))


def _organisation_form(org: Organisation | None):
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if org is not None:
        values = {
            "name": org.name,
            "kind": org.kind.value,
            "code": org.code,
            "country": org.country,
            "province": org.province,
            "district": org.district,
            "unions": org.union_codes,
        }
    if request.method == "POST":
        values = form_data(fields_as_lists=("unions",))
        # the picker sends a code; a name (an old form, a script) is taken in any language too
        if values.get("country"):
            values["country"] = country_code(values["country"]) or values["country"]
        _province_as_code(values)
        data, errors = validate_form(OrganisationIn, values)
        if data is not None:
            try:
                if org is None:
                    org = operations.create_organisation(data)
                    message = _("The organisation was added.")
                else:
                    patch = OrganisationPatch.model_validate(data.model_dump())
                    operations.update_organisation(org, patch)
                    message = _("The organisation was saved.")
                db.session.commit()
                flash(message, "success")
                return redirect(url_for("directory.organisation", organisation_id=org.id))
            except ApiError as exc:
                errors = labelled(OrganisationIn, exc.fields) or {"name": exc.message}
    status = 422 if errors else 200
    return render_template(
        "directory/organisation_form.html",
        organisation=org,
        values=values,
        errors=errors,
        province_groups=province_groups(values.get("country") or (org and org.country)),
        **_choices(),
    ), status


def _province_as_code(values: dict[str, Any]) -> None:
    """A province typed by name (an old form, a script) is shown selected in the picker."""
    text, country = values.get("province"), str(values.get("country") or "").strip().upper()
    if text and not province(text):
        codes = resolve_any(text, (country,) if len(country) == 2 else ())
        if len(codes) == 1:
            values["province"] = codes[0]


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_organisation():
    return _organisation_form(None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_organisation(organisation_id: int):
    return _organisation_form(db.get_or_404(Organisation, organisation_id))


# --- contacts --------------------------------------------------------------------------------


@bp.get("/contacts")
@roles_required(*EDITORS)
def contacts():
    query, filtered = _list_query(ContactQuery)
    items, total = _page(contacts_query(query), query)
    return render_template(
        "directory/contacts.html",
        contacts=items,
        total=total,
        query=query,
        filtered=filtered,
        **_choices(),
    )


def _organisation_choices(current_id: Any = None) -> list[tuple[int, str]]:
    """Confirmed organisations (and the contact's own, if it is one recorded at the door)."""
    shown = Organisation.confirmed.is_(True)
    own = parse_id(str(current_id)) if current_id is not None else None
    if own is not None:
        shown = sa.or_(shown, Organisation.id == own)
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name).where(shown).order_by(Organisation.sort_key)
    )
    return [(ident, name) for ident, name in rows]


def _contact_form(contact: Contact | None):
    values: dict[str, Any] = {"organisation_id": request.args.get("organisation_id")}
    errors: dict[str, str] = {}
    if contact is not None:
        values = {
            name: getattr(contact, name)
            for name in ContactIn.model_fields
            if getattr(contact, name) is not None
        }
    if request.method == "POST":
        values = form_data()
        data, errors = validate_form(ContactIn, values)
        if data is not None:
            try:
                if contact is None:
                    contact = operations.create_contact(data)
                    message = _("The contact was added.")
                else:
                    operations.update_contact(contact, ContactPatch(**data.model_dump()))
                    message = _("The contact was saved.")
                db.session.commit()
                flash(message, "success")
                return redirect(url_for("directory.contacts"))
            except ApiError as exc:
                errors = labelled(ContactIn, exc.fields) or {"full_name": exc.message}
    return render_template(
        "directory/contact_form.html",
        contact=contact,
        values=values,
        errors=errors,
        organisations=_organisation_choices(values.get("organisation_id")),
        **_choices(),
    ), 422 if errors else 200


@bp.route("/contacts/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_contact():
    return _contact_form(None)


@bp.route("/contacts/<int:contact_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_contact(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    if contact.erased_at is not None:
        abort(410)
    return _contact_form(contact)


# --- import ----------------------------------------------------------------------------------


def _preview(plan, token: str | None, filename: str, status: int = 200):
    shown = plan.rows[:PREVIEW_ROWS]
    return render_template(
        "directory/import_preview.html",
        plan=plan,
        rows=shown,
        hidden_rows=max(0, len(plan.rows) - len(shown)),
        token=token,
        filename=filename,
        fields=FIELDS,
    ), status


@bp.route("/contacts/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_contacts():
    error, status = None, 200
    max_mb = MAX_BYTES // (1024 * 1024)
    if request.method == "POST":
        upload = request.files.get("file")
        data = upload.read(MAX_BYTES + 1) if upload else b""
        filename = (upload.filename or "") if upload else ""
        if not upload or not filename:
            error, status = _("Choose a CSV or XLSX file."), 422
        elif len(data) > MAX_BYTES:
            # one message about the file, on the upload form, not a row error without a row
            error, status = (
                _("The file is larger than %(mb)d MB. Split it into smaller files.", mb=max_mb),
                413,
            )
        else:
            plan = plan_import(data, filename)
            if plan.file_error and all(e.row == 0 for e in plan.errors):
                # the file as a whole (empty, .xls, not CSV): the form again with the reason
                error, status = plan.errors[0].message, 422
            else:
                token = None
                if not plan.errors:
                    token = staging.stage(data, filename, current_user.id)
                return _preview(plan, token, filename, 422 if plan.errors else 200)
    return render_template(
        "directory/import.html", error=error, fields=FIELDS, max_mb=max_mb
    ), status


@bp.get("/contacts/import/template.csv")
@roles_required(*EDITORS)
def import_template():
    """An example file as Turkish Excel opens it (UTF-8 with BOM, `;`), ready to fill in."""
    header = ["Ad Soyad", "E-posta", "Kurum", "Görev", "Rol", "Cinsiyet", "Dil", "Telefon"]
    # the phone without its "+": a cell starting with "+" is a formula to Excel
    example = [
        "Ayşe Yılmaz",
        "ayse.yilmaz@example.org",
        "MBB",
        "Göç Masası Uzmanı",
        "Belediye personeli",
        "Kadın",
        "Türkçe",
        "0212 000 00 00",
    ]
    return Response(
        csv_bytes(header, [example], ";"),
        mimetype="text/csv",
        headers={"Content-Disposition": content_disposition("attachment", "contacts-template.csv")},
    )


@bp.post("/contacts/import/<token>")
@roles_required(*EDITORS)
def confirm_import(token: str):
    staged = staging.load(token, current_user.id)
    if staged is None:
        flash(_("This upload has expired. Please upload the file again."), "error")
        return redirect(url_for("directory.import_contacts"))
    plan = plan_import(staged.data, staged.filename)
    try:
        result = operations.import_contacts(plan, partial=False)
    except ApiError as exc:  # a contact was added elsewhere at the same moment
        flash(exc.message, "error")
        return redirect(url_for("directory.import_contacts"))
    if result.errors:
        # The directory changed since the preview: show what is wrong now, import nothing.
        db.session.rollback()
        return _preview(plan, None, staged.filename, 409)
    db.session.commit()
    staging.discard(token)
    return render_template("directory/import_done.html", result=result, filename=staged.filename)
