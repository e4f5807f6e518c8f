"""Writes of the directory: create and change organisations and contacts, import contacts.

Each function changes, flushes and audits inside the caller's transaction; the caller commits.
Conflicts and bad references raise `ApiError` (409 duplicate, 422 invalid) naming the field, which
pages show next to that field and the API answers as JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..audit.operations import record, record_many
from ..core.api import ApiError
from ..core.turkish import email_lower, fold, sort_key
from ..extensions import db
from .imports import ImportPlan
from .models import Contact, Organisation, OrganisationKind
from .provinces import provinces_of, resolve
from .queries import IN_LIST_LIMIT, contact_ids_by_email, organisation_ids_by_code, unions_by_codes
from .schemas import ContactIn, ContactPatch, ImportResult, OrganisationIn, OrganisationPatch

#: unique constraints → the field a client should fix
_CONSTRAINT_FIELDS = {
    "uq_contacts_email": "email",
    "contacts.email": "email",
    "uq_organisations_code": "code",
    "organisations.code": "code",
    "uq_organisations_search_key": "name",
    "organisations.search_key": "name",
}


def _duplicate(field: str) -> ApiError:
    messages = {
        "email": _("A contact with this email address already exists."),
        "name": _("An organisation with this name already exists."),
        "code": _("An organisation with this code already exists."),
    }
    return ApiError(409, "duplicate", messages[field], {field: messages[field]})


@contextmanager
def _unique_guard() -> Iterator[None]:
    """Turn a unique-constraint race (another request wrote the same email, name or code after
    our checks) into the same 409 as the checks."""
    try:
        yield
    except IntegrityError as exc:
        db.session.rollback()
        text = str(exc.orig)
        for marker, field in _CONSTRAINT_FIELDS.items():
            if marker in text:
                raise _duplicate(field) from None
        raise ApiError(409, "conflict", _("The change conflicts with other data.")) from None


def _flush() -> None:
    with _unique_guard():
        db.session.flush()


# --- organisations ---------------------------------------------------------------------------


def _check_organisation_unique(name: str | None, code: str | None, own_id: int | None) -> None:
    if name is not None:
        clash = db.session.scalar(
            sa.select(Organisation.id).where(
                Organisation.search_key == fold(name), Organisation.id != (own_id or 0)
            )
        )
        if clash is not None:
            raise _duplicate("name")
    # "CBB" and "ÇBB" would be the same code to anyone typing it
    if code is not None and set(organisation_ids_by_code(code)) - {own_id}:
        raise _duplicate("code")


def _province(value: str | None, country: str) -> str | None:
    """The ISO 3166-2 code of the province `value` names in `country`; 422 if none."""
    if value is None:
        return None
    code = resolve(value, country)
    if code is None:
        example = provinces_of(country)[:1]
        if example:
            message = _(
                "Unknown province “%(value)s” in %(country)s: give a province's name "
                "(e.g. %(name)s) or its code (e.g. %(code)s).",
                value=value,
                country=country,
                name=example[0].name,
                code=example[0].code,
            )
        else:
            message = _(
                "Unknown province “%(value)s”: %(country)s has no provinces to choose from.",
                value=value,
                country=country,
            )
        raise ApiError(422, "validation_error", message, {"province": message})
    return code


def _resolve_unions(codes: list[str], own_id: int | None) -> list[Organisation]:
    found = unions_by_codes(codes)
    unknown = [c for c in codes if c not in found]
    if unknown:
        message = _("Unknown union code: %(codes)s.", codes=", ".join(unknown))
        raise ApiError(422, "validation_error", message, {"unions": message})
    not_unions = [c for c in codes if found[c].kind != OrganisationKind.union]
    if not_unions:
        message = _("Not a union of municipalities: %(codes)s.", codes=", ".join(not_unions))
        raise ApiError(422, "validation_error", message, {"unions": message})
    if own_id is not None and any(found[c].id == own_id for c in codes):
        message = _("An organisation cannot be a member of itself.")
        raise ApiError(422, "validation_error", message, {"unions": message})
    return [found[c] for c in codes]


def create_organisation(data: OrganisationIn) -> Organisation:
    _check_organisation_unique(data.name, data.code, None)
    unions = _resolve_unions(data.unions, None)
    org = Organisation(
        name=data.name,
        kind=data.kind,
        code=data.code,
        country=data.country,
        province=_province(data.province, data.country),
        district=data.district,
    )
    org.unions = unions
    db.session.add(org)
    _flush()
    record("organisation.create", org, {"name": org.name, "code": org.code})
    return org


def update_organisation(org: Organisation, patch: OrganisationPatch) -> Organisation:
    changes = patch.model_dump(exclude_unset=True)
    _check_organisation_unique(changes.get("name"), changes.get("code"), org.id)
    if (
        changes.get("kind") not in (None, OrganisationKind.union)
        and org.kind == OrganisationKind.union
        and org.members
    ):
        message = _("This union has members; remove them before changing its kind.")
        raise ApiError(422, "validation_error", message, {"kind": message})
    country = changes.get("country", org.country)
    if "province" in changes:
        changes["province"] = _province(changes["province"], country)
        # fixed once a province is chosen (a form saved with none keeps the old text to fix)
        if changes["province"] is not None and org.province_unmatched is not None:
            changes["province_unmatched"] = None
    elif org.province is not None and not org.province.startswith(f"{country}-"):
        message = _("The province is not in the new country: choose one of its provinces.")
        raise ApiError(422, "validation_error", message, {"province": message})
    changed: list[str] = []
    if "unions" in changes:
        unions = _resolve_unions(changes.pop("unions"), org.id)
        if [u.id for u in unions] != [u.id for u in org.unions]:
            org.unions = unions
            changed.append("unions")
    for name, value in changes.items():
        if getattr(org, name) != value:
            setattr(org, name, value)
            changed.append(name)
    if changed:
        _flush()
        record("organisation.update", org, {"fields": sorted(changed)})
    return org


# --- contacts --------------------------------------------------------------------------------


def _check_email_free(email: str | None, own_id: int | None) -> None:
    if email is None:
        return
    clash = db.session.scalar(
        sa.select(Contact.id).where(
            Contact.email == email_lower(email), Contact.id != (own_id or 0)
        )
    )
    if clash is not None:
        raise _duplicate("email")


def _check_organisation(organisation_id: int | None) -> None:
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        message = _("Unknown organisation.")
        raise ApiError(422, "validation_error", message, {"organisation_id": message})


def create_contact(data: ContactIn) -> Contact:
    _check_email_free(data.email, None)
    _check_organisation(data.organisation_id)
    contact = Contact(**data.model_dump())
    db.session.add(contact)
    _flush()
    record("contact.create", contact, {"organisation_id": contact.organisation_id})
    return contact


def update_contact(contact: Contact, patch: ContactPatch) -> Contact:
    if contact.erased_at is not None:  # the person asked to be forgotten: no way back
        message = _("This contact was erased: it cannot be changed.")
        raise ApiError(409, "contact_erased", message)
    changes = patch.model_dump(exclude_unset=True)
    _check_email_free(changes.get("email"), contact.id)
    if "organisation_id" in changes:
        _check_organisation(changes["organisation_id"])
    changed = _apply(contact, changes)
    if changed:
        _flush()
        record("contact.update", contact, {"fields": changed})
    return contact


def _apply(contact: Contact, changes: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in changes.items():
        if getattr(contact, name) != value:
            setattr(contact, name, value)
            changed.append(name)
    return sorted(changed)


# --- import ----------------------------------------------------------------------------------


def import_contacts(plan: ImportPlan, *, partial: bool = False) -> ImportResult:
    """Write a checked plan: nothing when it has errors, unless `partial` (then its valid rows).

    Contacts whose email is already in the directory are updated with the cells that were filled.
    New contacts go in with one bulk insert (20,000 rows take seconds, not minutes).
    """
    errors = [e.as_dict() for e in plan.errors]
    if plan.errors and (not partial or plan.file_error):
        return ImportResult(created=0, updated=0, errors=errors)
    updates = plan.to_update
    existing = _contacts_by_id([r.contact_id for r in updates if r.contact_id is not None])
    changed_ids: dict[tuple[str, ...], list[int]] = defaultdict(list)
    unchanged = 0
    for row in updates:
        contact = existing.get(row.contact_id or 0)
        if contact is None:  # erased or deleted since the plan was made
            errors.append({"row": row.row, "field": "email", "message": _("Contact not found.")})
            continue
        changed = _apply(contact, row.values)
        if changed:
            changed_ids[tuple(changed)].append(contact.id)
        else:
            unchanged += 1
    if errors and not partial:
        db.session.rollback()
        return ImportResult(created=0, updated=0, errors=errors)
    created_ids = _insert_contacts([row.values for row in plan.to_create])
    _flush()
    record_many("contact.create", "contact", created_ids, {"source": "import"})
    for fields, ids in changed_ids.items():
        record_many("contact.update", "contact", ids, {"source": "import", "fields": list(fields)})
    return ImportResult(
        created=len(created_ids),
        updated=sum(len(ids) for ids in changed_ids.values()),
        unchanged=unchanged,
        errors=errors,
    )


def _insert_contacts(rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert; the ids come back by email (a plain executemany is several times faster
    than INSERT … RETURNING for thousands of rows). The model's validators' keys are set here."""
    if not rows:
        return []
    values = [
        {**row, "search_key": fold(row["full_name"]), "sort_key": sort_key(row["full_name"])}
        for row in rows
    ]
    with _unique_guard():
        db.session.execute(sa.insert(Contact), values)
    ids = contact_ids_by_email({row["email"] for row in rows})
    return [ids[row["email"]] for row in rows]


def _contacts_by_id(ids: list[int]) -> dict[int, Contact]:
    if not ids:
        return {}
    query = sa.select(Contact)
    if len(ids) <= IN_LIST_LIMIT:
        query = query.where(Contact.id.in_(ids))
    else:
        # see plan.IN_LIST_LIMIT: one pass, keep the wanted ones
        query = query.where(Contact.id.between(min(ids), max(ids)))
    wanted = set(ids)
    return {c.id: c for c in db.session.scalars(query) if c.id in wanted}
