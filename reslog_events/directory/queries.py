"""Reads of the directory: the filtered, Turkish-sorted selects behind the API lists, the pages
and "invite from the directory with the same filters".

    stmt = contacts_query(ContactFilters(union="MBB", language="ar"))
    contacts = db.session.scalars(stmt).all()
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..core.turkish import email_lower, fold, sort_key
from ..extensions import db
from .models import Contact, Organisation, OrganisationKind, union_membership
from .provinces import province_name, resolve_any
from .schemas import ContactFilters, OrganisationFilters

__all__ = [
    "ContactFilters",
    "OrganisationFilters",
    "contacts_query",
    "organisations_query",
    "provinces",
    "unions",
    "union_by_code",
    "organisation_by_name_or_code",
    "organisation_ids_by_code",
    "unions_by_codes",
    "contact_by_email",
    "contact_ids_by_email",
]


def _terms(q: str | None) -> list[str]:
    """Search words, folded the Turkish way ("ŞİŞLİ Belediyesi" → ["sisli", "belediyesi"])."""
    return fold(q).split()[:8] if q else []


def _members_of(code: str) -> sa.Select:
    """Ids of the member organisations of the union with this code (any case, any accents)."""
    return sa.select(union_membership.c.organisation_id).where(
        union_membership.c.union_id.in_(organisation_ids_by_code(code) or [0])
    )


def _province_codes(value: str, country: str | None = None) -> list[str]:
    """The codes a province filter means: a code, or a name in any spelling ("izmir" → TR-35)."""
    countries = (country,) if country else tuple(_directory_countries())
    return resolve_any(value, countries) or [value]


def _directory_countries() -> list[str]:
    return list(db.session.scalars(sa.select(Organisation.country).distinct()))


def organisations_query(filters: OrganisationFilters | None = None) -> sa.Select:
    """Organisations matching `filters`, in Turkish alphabetical order, with their unions."""
    f = filters or OrganisationFilters()
    stmt = sa.select(Organisation).options(selectinload(Organisation.unions))
    if f.kind is not None:
        stmt = stmt.where(Organisation.kind == f.kind)
    if f.country is not None:
        stmt = stmt.where(Organisation.country == f.country)
    if f.union is not None:
        stmt = stmt.where(Organisation.id.in_(_members_of(f.union)))
    if f.province is not None:
        stmt = stmt.where(Organisation.province.in_(_province_codes(f.province, f.country)))
    if f.province_to_fix:
        stmt = stmt.where(Organisation.province_unmatched.is_not(None))
    if f.unconfirmed:
        stmt = stmt.where(Organisation.confirmed.is_(False))
    for term in _terms(f.q):
        stmt = stmt.where(
            sa.or_(
                Organisation.search_key.contains(term, autoescape=True),
                Organisation.id.in_(organisation_ids_by_code(term) or [0]),
            )
        )
    return stmt.order_by(Organisation.sort_key, Organisation.id)


def contacts_query(
    filters: ContactFilters | None = None, *, include_erased: bool = False
) -> sa.Select:
    """Contacts matching `filters`, in Turkish alphabetical order of their names.

    A union filter takes the contacts of its member organisations and of the union itself.
    Erased contacts (data-protection requests) are left out unless `include_erased`.
    """
    f = filters or ContactFilters()
    stmt = sa.select(Contact).options(selectinload(Contact.organisation))
    if not include_erased:
        stmt = stmt.where(Contact.erased_at.is_(None))
    if f.organisation_id is not None:
        stmt = stmt.where(Contact.organisation_id == f.organisation_id)
    if f.union is not None:
        stmt = stmt.where(
            sa.or_(
                Contact.organisation_id.in_(_members_of(f.union)),
                Contact.organisation_id.in_(organisation_ids_by_code(f.union) or [0]),
            )
        )
    org_conditions = []
    if f.province is not None:
        org_conditions.append(Organisation.province.in_(_province_codes(f.province, f.country)))
    if f.kind is not None:
        org_conditions.append(Organisation.kind == f.kind)
    if f.country is not None:
        org_conditions.append(Organisation.country == f.country)
    if org_conditions:
        stmt = stmt.where(
            Contact.organisation_id.in_(sa.select(Organisation.id).where(*org_conditions))
        )
    if f.role_category is not None:
        stmt = stmt.where(Contact.role_category == f.role_category)
    if f.language is not None:
        stmt = stmt.where(Contact.language == f.language)
    if f.gender is not None:
        stmt = stmt.where(Contact.gender == f.gender)
    for term in _terms(f.q):
        stmt = stmt.where(
            sa.or_(
                Contact.search_key.contains(term, autoescape=True),
                Contact.email.contains(term, autoescape=True),
            )
        )
    return stmt.order_by(Contact.sort_key, Contact.id)


def provinces() -> list[tuple[str, str]]:
    """(code, name in the page's language) of the provinces of the directory's organisations,
    in Turkish alphabetical order of the name."""
    codes = db.session.scalars(
        sa.select(Organisation.province).where(Organisation.province.is_not(None)).distinct()
    ).all()
    return sorted(((c, province_name(c)) for c in codes), key=lambda pair: sort_key(pair[1]))


def to_review() -> dict[str, int]:
    """How many organisations wait for an organiser: recorded at the door, or with a province of
    old that matched none."""

    def count(condition: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(
            count(Organisation.confirmed.is_(False)),
            count(Organisation.province_unmatched.is_not(None)),
        )
    ).one()
    return {"unconfirmed": int(row[0]), "province_to_fix": int(row[1])}


def unions() -> list[Organisation]:
    """The unions of municipalities (TBB, MBB, ÇBB…), by name."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.union, Organisation.confirmed.is_(True))
            .order_by(Organisation.sort_key)
        )
    )


def code_key(code: str) -> str:
    """A code as people type it: "ÇBB", "çbb" and "CBB" are the same key."""
    return fold(code).replace(" ", "")


def organisation_ids_by_code(code: str) -> list[int]:
    """Ids of the organisations whose code is `code` in any case, with or without accents.

    Folding in SQL is not portable (SQLite lower-cases ASCII only); codes are few and short.
    """
    wanted = code_key(code)
    if not wanted:
        return []
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.code).where(Organisation.code.is_not(None))
    )
    return [ident for ident, value in rows if code_key(value) == wanted]


def union_by_code(code: str) -> Organisation | None:
    """The union whose code is `code`, in any case, with or without accents ("ÇBB", "cbb")."""
    ids = organisation_ids_by_code(code)
    if not ids:
        return None
    return db.session.scalar(
        sa.select(Organisation).where(
            Organisation.id.in_(ids), Organisation.kind == OrganisationKind.union
        )
    )


def unions_by_codes(codes: Iterable[str]) -> dict[str, Organisation]:
    """{code as given: organisation} for the codes that name one (any case, any accents)."""
    wanted = {code_key(c): c for c in codes}
    if not wanted:
        return {}
    found = db.session.scalars(sa.select(Organisation).where(Organisation.code.is_not(None)))
    return {wanted[code_key(org.code)]: org for org in found if code_key(org.code) in wanted}


def organisation_by_name_or_code(value: str) -> Organisation | None:
    """An organisation by its code or its name, in any case, with or without accents."""
    value = value.strip()
    if not value:
        return None
    ids = organisation_ids_by_code(value)
    if len(ids) == 1:
        return db.session.get(Organisation, ids[0])
    return db.session.scalar(sa.select(Organisation).where(Organisation.search_key == fold(value)))


#: above this many addresses the existing ones are read in one pass rather than looked up
IN_LIST_LIMIT = 500


def contact_ids_by_email(emails: set[str]) -> dict[str, int]:
    """{email: id} of the contacts with these (lower-case) addresses."""
    query = sa.select(Contact.email, Contact.id)
    if len(emails) > IN_LIST_LIMIT:
        # One pass over the addresses beats many long IN lists (PostgreSQL's generic plans of
        # prepared statements scan them row by row).
        rows = db.session.execute(query.where(Contact.email.is_not(None)))
        return {email: ident for email, ident in rows if email in emails}
    if emails:
        rows = db.session.execute(query.where(Contact.email.in_(sorted(emails))))
        return {email: ident for email, ident in rows}
    return {}


def contact_by_email(email: str) -> Contact | None:
    return db.session.scalar(sa.select(Contact).where(Contact.email == email_lower(email)))


# Contacts in use: the guard against an erasure under way ----------------------------------------

#: PostgreSQL's FOR KEY SHARE: others may still read and edit the contact, but an erasure (which
#: locks it FOR UPDATE) waits for this transaction, or this one waits for the erasure and then
#: sees the contact erased. SQLite ignores it (its writers are serial anyway).
IN_USE = {"read": True, "key_share": True}

#: ids per IN (…) list
LOCK_CHUNK = 2000


def contacts_in_use(ids: Iterable[int]) -> dict[int, int | None]:
    """{id: organisation_id} of the contacts among `ids` that are not erased, each row locked
    until the commit (IN_USE), in id order so that two such transactions never deadlock."""
    wanted = sorted(set(ids))
    found: dict[int, int | None] = {}
    for start in range(0, len(wanted), LOCK_CHUNK):
        rows = db.session.execute(
            sa.select(Contact.id, Contact.organisation_id)
            .where(Contact.id.in_(wanted[start : start + LOCK_CHUNK]), Contact.erased_at.is_(None))
            .order_by(Contact.id)
            .with_for_update(**IN_USE)
        )
        found.update((ident, org_id) for ident, org_id in rows)
    return found


def contact_in_use(contact_id: int) -> Contact | None:
    """The contact, re-read and locked until the commit (IN_USE); None if erased or gone."""
    contact = db.session.get(Contact, contact_id, with_for_update=IN_USE, populate_existing=True)
    return None if contact is None or contact.erased_at is not None else contact
