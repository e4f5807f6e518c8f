"""The directory's JSON API: organisations, contacts and contact import (see CONTRACT.md)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from ..auth.permissions import DIRECTORY_READERS, EDITORS
from ..core.api import (
    ApiError,
    Page,
    api_blueprint,
    endpoint,
    get_or_404,
    paginate,
    require_multipart,
)
from ..extensions import db
from . import operations, unconfirmed
from .imports import MAX_BYTES, plan_import
from .models import Contact, Organisation
from .queries import contacts_query, organisations_query
from .schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    ContactQuery,
    ImportQuery,
    ImportResult,
    MergeIn,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationQuery,
)

bp = api_blueprint("directory_api", __name__)

DUPLICATE = {409: "Duplicate (the field is named in `fields`)"}


@endpoint(
    bp,
    "/organisations",
    "GET",
    roles=DIRECTORY_READERS,
    query=OrganisationQuery,
    response=OrganisationOut,
    many=True,
    summary="List organisations (Turkish alphabetical order; filters kind, country, union, q)",
)
def list_organisations(query: OrganisationQuery) -> Page:
    return paginate(organisations_query(query), query)


@endpoint(
    bp,
    "/organisations",
    "POST",
    roles=EDITORS,
    body=OrganisationIn,
    response=OrganisationOut,
    status=201,
    summary="Create an organisation",
    extra_statuses=DUPLICATE,
)
def create_organisation(body: OrganisationIn) -> Organisation:
    org = operations.create_organisation(body)
    db.session.commit()
    return org


@endpoint(
    bp,
    "/organisations/<int:organisation_id>",
    "GET",
    roles=DIRECTORY_READERS,
    response=OrganisationOut,
    summary="One organisation",
)
def get_organisation(organisation_id: int) -> Organisation:
    return get_or_404(Organisation, organisation_id, "Organisation")


@endpoint(
    bp,
    "/organisations/<int:organisation_id>",
    "PATCH",
    roles=EDITORS,
    body=OrganisationPatch,
    response=OrganisationOut,
    summary="Change an organisation (only the fields given)",
    extra_statuses=DUPLICATE,
)
def update_organisation(organisation_id: int, body: OrganisationPatch) -> Organisation:
    org = get_or_404(Organisation, organisation_id, "Organisation")
    operations.update_organisation(org, body)
    db.session.commit()
    return org


@endpoint(
    bp,
    "/organisations/<int:organisation_id>/confirm",
    "POST",
    roles=EDITORS,
    response=OrganisationOut,
    summary="Confirm an organisation recorded at the door (unconfirmed)",
    extra_statuses={409: "Already confirmed"},
)
def confirm_organisation(organisation_id: int) -> Organisation:
    org = get_or_404(Organisation, organisation_id, "Organisation")
    unconfirmed.confirm_organisation(org)
    db.session.commit()
    return org


@endpoint(
    bp,
    "/organisations/<int:organisation_id>/merge",
    "POST",
    roles=EDITORS,
    body=MergeIn,
    response=OrganisationOut,
    summary="Merge an unconfirmed organisation into `into`: its contacts and their invitations "
    "move there, and it is deleted; answers the organisation merged into",
    extra_statuses={409: "Already confirmed (it cannot be merged)"},
)
def merge_organisation(organisation_id: int, body: MergeIn) -> Organisation:
    org = get_or_404(Organisation, organisation_id, "Organisation")
    target = db.session.get(Organisation, body.into)
    if target is None:
        message = _("Unknown organisation.")
        raise ApiError(422, "validation_error", message, {"into": message})
    unconfirmed.merge_organisation(org, target)
    db.session.commit()
    return db.session.get(Organisation, target.id)


@endpoint(
    bp,
    "/contacts",
    "GET",
    roles=EDITORS,
    query=ContactQuery,
    response=ContactOut,
    many=True,
    summary="List contacts (Turkish alphabetical order; filters as in the directory pages)",
)
def list_contacts(query: ContactQuery) -> Page:
    return paginate(contacts_query(query), query)


@endpoint(
    bp,
    "/contacts",
    "POST",
    roles=EDITORS,
    body=ContactIn,
    response=ContactOut,
    status=201,
    summary="Create a contact",
    extra_statuses=DUPLICATE,
)
def create_contact(body: ContactIn) -> Contact:
    contact = operations.create_contact(body)
    db.session.commit()
    return contact


@endpoint(
    bp,
    "/contacts/<int:contact_id>",
    "GET",
    roles=EDITORS,
    response=ContactOut,
    summary="One contact",
)
def get_contact(contact_id: int) -> Contact:
    return get_or_404(Contact, contact_id, "Contact")


@endpoint(
    bp,
    "/contacts/<int:contact_id>",
    "PATCH",
    roles=EDITORS,
    body=ContactPatch,
    response=ContactOut,
    summary="Change a contact (only the fields given)",
    extra_statuses=DUPLICATE,
)
def update_contact(contact_id: int, body: ContactPatch) -> Contact:
    contact = get_or_404(Contact, contact_id, "Contact")
    operations.update_contact(contact, body)
    db.session.commit()
    return contact


@endpoint(
    bp,
    "/contacts/import",
    "POST",
    roles=EDITORS,
    query=ImportQuery,
    multipart=True,
    response=ImportResult,
    summary="Import contacts from a CSV or XLSX `file`: all or nothing unless ?partial=1",
    extra_statuses={413: "File too large", 415: "Not multipart/form-data"},
)
def import_contacts(query: ImportQuery):
    require_multipart()
    upload = request.files.get("file")
    if upload is None:
        message = _("Choose a CSV or XLSX file.")
        raise ApiError(422, "validation_error", message, {"file": message})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        message = _("The file is too large (at most %(mb)d MB).", mb=MAX_BYTES // (1024 * 1024))
        raise ApiError(413, "too_large", message, {"file": message})
    plan = plan_import(data, upload.filename)
    result = operations.import_contacts(plan, partial=query.partial)
    if result.errors and (not query.partial or plan.file_error):
        # Nothing was imported: an error answer that still carries the per-row report.
        db.session.rollback()
        fields: dict[str, str] = {}
        for error in result.errors:
            fields.setdefault(error.field, f"{error.row}: {error.message}")
        body = result.model_dump(mode="json")
        body["error"] = {
            "code": "import_invalid",
            "message": _("Nothing was imported: correct the rows with errors and try again."),
            "fields": fields,
        }
        resp = jsonify(body)
        resp.status_code = 422
        return resp
    db.session.commit()
    return result
