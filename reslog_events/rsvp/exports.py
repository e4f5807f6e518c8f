"""The answers list for the venue: CSV (UTF-8 with a BOM, so Excel reads Ş, ğ, ı and Arabic) and
XLSX. Names, organisations and notes come from people: a cell starting with = + - @ (or a tab
or carriage return) would be a formula to a spreadsheet, so such text is neutralised. The time
of an answer is a date cell in the XLSX (Excel sorts and filters it), text in the CSV; both
in the event's time zone."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..core.datetimes import local_datetime
from ..core.language_names import language_names
from ..core.spreadsheets import csv_bytes, set_datetime, set_text
from ..events.models import Event
from ..invitations.models import Invitation, InvitationStatus
from .queries import waitlist_position
from .schemas import AccessNeed, Diet


def headings() -> list[str]:
    return [
        _("Name"),
        _("Organisation"),
        _("Position"),
        _("Email"),
        _("Phone"),
        _("Language"),
        _("Answer"),
        _("Waitlist position"),
        _("Answered at"),
        _("Interpretation into"),
        _("Dietary needs"),
        _("Other dietary needs"),
        _("Accessibility"),
        _("Other accessibility needs"),
        _("Photo consent"),
    ]


def rows(event: Event, invitations: Iterable[Invitation]) -> Iterable[list[Any]]:
    """The cells of each invitation; the time of the answer as a datetime (each format writes
    it its own way)."""
    names = language_names()
    diet_labels = dict(Diet.choices())
    access_labels = dict(AccessNeed.choices())
    for inv in invitations:
        contact = inv.contact
        organisation = inv.organisation or contact.organisation
        position = waitlist_position(inv) if inv.status == InvitationStatus.waitlisted else None
        photos = {True: _("Yes"), False: _("No")}.get(inv.consent_photos, "")
        yield [
            contact.full_name,
            organisation.name if organisation else "",
            contact.position or "",
            contact.email or "",
            contact.phone or "",
            names.get(contact.language.value, contact.language.value),
            str(inv.status.label),
            position or "",
            inv.responded_at or "",
            names.get(inv.interpretation_language, inv.interpretation_language or ""),
            ", ".join(str(diet_labels.get(d, d)) for d in inv.diet_choices or ()),
            inv.dietary_needs or "",
            ", ".join(str(access_labels.get(a, a)) for a in inv.access_choices or ()),
            inv.accessibility_needs or "",
            photos,
        ]


def to_csv(event: Event, invitations: Iterable[Invitation], delimiter: str = ",") -> bytes:
    texts = (
        [local_datetime(v, event.timezone) if isinstance(v, datetime) else v for v in values]
        for values in rows(event, invitations)
    )
    return csv_bytes(headings(), texts, delimiter)


def to_xlsx(event: Event, invitations: Iterable[Invitation]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Answers")[:31]
    header = headings()
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(text) for text in header]
    for values in rows(event, invitations):
        sheet.append([None] * len(values))
        row = sheet.max_row
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col)
            if isinstance(value, datetime):
                set_datetime(cell, value, event.zone)
                value = cell.number_format
            elif isinstance(value, int):
                cell.value = value
            else:
                set_text(cell, value)
            widths[col - 1] = max(widths[col - 1], len(str(value)))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(width + 2, 50)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 2)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
