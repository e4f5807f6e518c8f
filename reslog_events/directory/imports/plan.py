"""What an import would do, row by row, before anything is written: the preview of the page
and the check of the API are the same plan.

    plan = plan_import(data)
    plan.errors     # [RowError(row=3, field="email", message="…")], header = row 1
    plan.rows       # PlannedRow(action="create"|"update"|"invalid", values={…})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from flask_babel import gettext as _
from pydantic import ValidationError

from ...core.turkish import email_lower, fold
from ...core.validation import validation_fields
from ...core.web import list_sep
from ...extensions import db
from ..models import Gender, Language, Organisation, RoleCategory
from ..queries import code_key, contact_ids_by_email
from ..schemas import ContactIn, ContactPatch
from . import columns as cols
from .reader import ImportFileError, Table, read_table

#: how many header candidates to look at (offices put a title above the table)
HEADER_SEARCH_ROWS = 10


@dataclass
class RowError:
    row: int
    #: the contract's name of the field (the API's `field`)
    field: str
    message: str
    #: the column as the user's file names it, for the page ("" for the file as a whole)
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class PlannedRow:
    row: int
    full_name: str
    email: str
    organisation: str
    action: Literal["create", "update", "invalid"] = "invalid"
    contact_id: int | None = None
    #: validated attributes for the Contact (updates: only the cells that were filled)
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    #: every error: of the file (row 0), of the header (row 1…) and of the rows
    errors: list[RowError] = field(default_factory=list)
    columns: cols.Columns | None = None
    table: Table | None = None

    @property
    def to_create(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == "create"]

    @property
    def to_update(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == "update"]

    @property
    def file_error(self) -> bool:
        """The file itself is unusable: no row can be imported."""
        return bool(self.errors) and not self.rows


def plan_import(data: bytes, filename: str | None = None) -> ImportPlan:
    """Read, match and validate the file against the directory; write nothing."""
    plan = ImportPlan()
    try:
        plan.table = read_table(data, filename)
    except ImportFileError as exc:
        plan.errors.append(RowError(exc.row, exc.field, exc.message))
        return plan
    header_at, columns = _find_header(plan.table)
    plan.columns = columns
    header_row = plan.table.rows[header_at][0]
    for name in columns.missing:
        label = columns.column_of(name)
        plan.errors.append(
            RowError(header_row, name, _("The column “%(name)s” is missing.", name=label))
        )
    body = plan.table.rows[header_at + 1 :]
    if not plan.errors and not body:
        plan.errors.append(RowError(0, "file", _("The file has no contacts below its header.")))
    elif not plan.errors:
        _plan_rows(plan, body, columns)
    for error in plan.errors:
        if error.field != "file":
            error.column = columns.column_of(error.field)
    return plan


def _find_header(table: Table) -> tuple[int, cols.Columns]:
    for at, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        columns = cols.match_columns(cells)
        if len(columns.index) >= 2 or not columns.missing:
            return at, columns
    return 0, cols.match_columns(table.rows[0][1])


class _Directory:
    """What the plan needs from the database, loaded in a few queries."""

    def __init__(self, emails: set[str]) -> None:
        self.by_code: dict[str, Organisation] = {}
        self.by_key: dict[str, Organisation] = {}
        for org in db.session.scalars(sa.select(Organisation)):
            self.by_key[org.search_key] = org
            if org.code:
                self.by_code[code_key(org.code)] = org
        self.contacts = contact_ids_by_email(emails)

    def organisation(self, value: str) -> Organisation | None:
        """By code or by name, in any case, with or without accents ("ÇBB", "cbb", "Çukurova
        Belediyeler Birliği"), or by name give or take "Belediyesi" ("Şişli" → Şişli Belediyesi)."""
        found = self.by_code.get(code_key(value))
        if found is not None:
            return found
        key = fold(value)
        for variant in (key, f"{key} belediyesi", key.removesuffix(" belediyesi")):
            if variant in self.by_key:
                return self.by_key[variant]
        return None


_ENUM_CELLS = (
    ("role_category", cols.role_category, RoleCategory),
    ("gender", cols.gender, Gender),
    ("language", cols.language, Language),
)


def _plan_rows(plan: ImportPlan, body: list[tuple[int, list[str]]], columns: cols.Columns) -> None:
    emails = {email_lower(cols.cell(cells, columns, "email")) for _n, cells in body}
    directory = _Directory({e for e in emails if e})
    first_seen: dict[str, int] = {}
    for number, cells in body:
        row = PlannedRow(
            row=number,
            full_name=cols.full_name(cells, columns),
            email=cols.cell(cells, columns, "email"),
            organisation=cols.cell(cells, columns, "organisation"),
        )
        plan.rows.append(row)
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for name in ("full_name", "email", "position", "phone"):
            text = row.full_name if name == "full_name" else cols.cell(cells, columns, name)
            if text:
                values[name] = text
        if row.organisation:
            org = directory.organisation(row.organisation)
            if org is None:
                errors.append(
                    RowError(
                        number,
                        "organisation",
                        _(
                            "Unknown organisation “%(value)s”: add it to the directory first, "
                            "or use its code.",
                            value=row.organisation,
                        ),
                    )
                )
            else:
                values["organisation_id"] = org.id
                row.organisation = org.name
        for name, parse, enum in _ENUM_CELLS:
            text = cols.cell(cells, columns, name)
            if not text:
                continue
            parsed = parse(text)
            if parsed is None:
                allowed = list_sep().join(m.label for m in enum)
                errors.append(
                    RowError(
                        number,
                        name,
                        _(
                            "Unknown value “%(value)s” (use one of: %(allowed)s).",
                            value=text,
                            allowed=allowed,
                        ),
                    )
                )
            else:
                values[name] = parsed.value
        email = email_lower(row.email)
        existing = directory.contacts.get(email) if email else None
        if email in first_seen:
            errors.append(
                RowError(
                    number,
                    "email",
                    _("This email is already on row %(row)d.", row=first_seen[email]),
                )
            )
        elif email:
            first_seen[email] = number
        if not email:
            errors.append(RowError(number, "email", _("An email address is required.")))
        elif not row.full_name and existing is None:
            errors.append(RowError(number, "full_name", _("A name is required.")))
        schema = ContactPatch if existing is not None else ContactIn
        try:
            model = schema.model_validate(values)
        except ValidationError as exc:
            for name, message in validation_fields(exc).items():
                name = "organisation" if name == "organisation_id" else name
                if not any(e.field == name for e in errors):
                    errors.append(RowError(number, name, message))
        else:
            row.values = model.model_dump(exclude_unset=existing is not None)
        if errors:
            row.errors = errors
            row.values = {}
            plan.errors.extend(errors)
        elif existing is not None:
            row.action, row.contact_id = "update", existing
        else:
            row.action = "create"
