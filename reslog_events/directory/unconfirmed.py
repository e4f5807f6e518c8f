"""Writes of unconfirmed organisations: one recorded at the door for a walk-in ("Kozan
Belediyesi", not yet in the directory), then confirmed by an organiser or merged into the
organisation it really is.

Like `operations`, each function flushes and audits inside the caller's transaction.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..core.api import ApiError
from ..extensions import db
from .models import Organisation, OrganisationKind, union_membership
from .operations import _flush, _province
from .queries import organisation_by_name_or_code


def organisation_from_the_door(
    name: str, kind: OrganisationKind, province: str | None, country: str = "TR"
) -> Organisation:
    """The organisation a walk-in names: the directory's own if it has one by that name or code,
    else a new, unconfirmed one (it counts in the reports from the start)."""
    existing = organisation_by_name_or_code(name)
    if existing is not None:
        return existing
    if kind == OrganisationKind.union:
        message = _("A union of municipalities cannot be added at the door.")
        raise ApiError(422, "validation_error", message, {"organisation_kind": message})
    try:
        code = _province(province, country)
    except ApiError as exc:
        raise ApiError(
            422, "validation_error", exc.message, {"organisation_province": exc.message}
        ) from None
    org = Organisation(
        name=" ".join(name.split()), kind=kind, country=country, province=code, confirmed=False
    )
    db.session.add(org)
    # the same name recorded at another gate at the same moment: a 409, and the retry finds it
    _flush()
    record("organisation.create", org, {"name": org.name, "unconfirmed": True, "source": "door"})
    return org


def _is_unconfirmed(org: Organisation) -> None:
    if org.confirmed:
        message = _("This organisation is already confirmed.")
        raise ApiError(409, "already_confirmed", message)


def confirm_organisation(org: Organisation) -> Organisation:
    """An organiser checked it: from now on it is an ordinary organisation of the directory."""
    _is_unconfirmed(org)
    org.confirmed = True
    db.session.flush()
    record("organisation.confirm", org, {"name": org.name})
    return org


def _references() -> list[sa.Column]:
    """Every column that refers to an organisation, union memberships aside (they go)."""
    return [
        fk.parent
        for table in db.metadata.sorted_tables
        if table is not union_membership
        for fk in table.foreign_keys
        if fk.column.table.name == Organisation.__tablename__
    ]


def merge_organisation(org: Organisation, target: Organisation) -> dict[str, Any]:
    """Fold an unconfirmed organisation into the one it really is: its contacts, their
    invitations (so the reports count them under `target`) and anything else that names it move
    to `target`; then it is deleted. Returns how many rows of each table moved."""
    _is_unconfirmed(org)
    if target.id == org.id or not target.confirmed:
        message = _("Choose a confirmed organisation of the directory to merge into.")
        raise ApiError(422, "validation_error", message, {"into": message})
    moved: dict[str, int] = {}
    for column in _references():
        result = db.session.execute(
            column.table.update().where(column == org.id).values({column.name: target.id})
        )
        if result.rowcount:
            moved[column.table.name] = moved.get(column.table.name, 0) + result.rowcount
    db.session.execute(
        union_membership.delete().where(union_membership.c.organisation_id == org.id)
    )
    summary = {"merged_id": org.id, "merged_name": org.name, "moved": moved}
    record("organisation.merge", org, {"into": target.id, "moved": moved})
    record("organisation.merged_into", target, summary)
    db.session.flush()
    # by SQL, not session.delete(): the ORM would null the organisation of contacts it still
    # holds in memory, although they have just moved
    db.session.execute(sa.delete(Organisation).where(Organisation.id == org.id))
    db.session.expunge(org)
    db.session.expire_all()
    return summary
