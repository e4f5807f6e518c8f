"""The results as XLSX: the indicators sheet (in the page's language) and a methods sheet that
says, in Turkish and in English, how each number is counted (the indicators' own `method`)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..core.datetimes import moment
from ..core.spreadsheets import set_text
from ..reports.exports import hidden_note
from ..reports.groupings import REPORT_ZONE_NAME
from .indicators import INDICATORS

BOLD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDE7F0")


def general_methods() -> list[str]:
    """What every indicator shares, for the methods sheet (in the current language)."""
    return [
        _(
            "A period is a range of days of the events' start in Türkiye time (UTC+03:00), "
            "both days included; the previous period is the one of equal length just before it."
        ),
        _(
            "Counted as in the attendance reports: cancelled events and revoked invitations "
            "count nowhere; attended means checked in at the door at least once; an invitation "
            "counts under the organisation the person belonged to when invited."
        ),
        _(
            "A union-scoped coordinator's results count only the events hosted by their union "
            "or its members."
        ),
        _(
            "To coordinators, a count of people from 1 to %(n)s, or a share worked out from "
            "one, is not shown, nor the change from or to it.",
            n=current_app.config["REPORT_MIN_CELL"] - 1,
        ),
        _("Progress is the value as a percentage of the period's target."),
    ]


def unit_labels() -> dict[str, str]:
    return {"count": _("Number"), "percent": _("Percent"), "score": _("Score (1–5)")}


def _cell(sheet: Worksheet, row: int, col: int, value: Any, number_format: str = "") -> None:
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, str):
        set_text(cell, value)
    elif value is not None:  # None: hidden or nothing to count; left empty
        cell.value = value
        if number_format:
            cell.number_format = number_format


def _heading(sheet: Worksheet, row: int, values: list[str]) -> None:
    for col, text in enumerate(values, start=1):
        _cell(sheet, row, col, text)
        cell = sheet.cell(row=row, column=col)
        cell.font, cell.fill = BOLD, FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _indicators_sheet(sheet: Worksheet, data: dict[str, Any], generated_at: datetime) -> None:
    period, previous = data["period"], data["previous_period"]
    _cell(sheet, 1, 1, _("Period"))
    _cell(sheet, 1, 2, f"{period['start'].isoformat()} – {period['end'].isoformat()}")
    _cell(sheet, 2, 1, _("Previous period"))
    _cell(sheet, 2, 2, f"{previous['start'].isoformat()} – {previous['end'].isoformat()}")
    _cell(sheet, 3, 1, _("Generated"))
    _cell(sheet, 3, 2, f"{moment(generated_at, 'UTC')} UTC")
    _cell(sheet, 4, 1, _("Time zone of dates"))
    _cell(sheet, 4, 2, f"{REPORT_ZONE_NAME} (UTC+03:00)")
    for row in (1, 2, 3, 4):
        sheet.cell(row=row, column=1).font = BOLD
    header = [
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Out of"),
        _("Previous period"),
        _("Change"),
        _("Target"),
        _("Progress (%)"),
    ]
    _heading(sheet, 6, header)
    units = unit_labels()
    for row, item in enumerate(data["indicators"], start=7):
        number = "#,##0" if item["unit"] == "count" else "#,##0.0"
        _cell(sheet, row, 1, item["title"])
        _cell(sheet, row, 2, units[item["unit"]])
        _cell(sheet, row, 3, item["value"], number)
        _cell(sheet, row, 4, item["denominator"] if item["unit"] == "count" else None, "#,##0")
        _cell(sheet, row, 5, item["previous"], number)
        _cell(sheet, row, 6, item["delta"], number)
        _cell(sheet, row, 7, item["target"], number)
        _cell(sheet, row, 8, item["progress"], "#,##0.0")
    if any(item["suppressed"] for item in data["indicators"]):
        _cell(sheet, sheet.max_row + 2, 1, hidden_note())
    sheet.column_dimensions["A"].width = 44
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 16
    sheet.freeze_panes = "B7"


def _methods_sheet(sheet: Worksheet) -> None:
    """Both languages side by side, whatever the page's language."""
    texts: dict[str, dict[str, tuple[str, str]]] = {}
    general: dict[str, list[str]] = {}
    header: list[str] = []
    for language in ("tr", "en"):
        with force_locale(language):
            texts[language] = {
                key: (str(ind.title), str(ind.method)) for key, ind in INDICATORS.items()
            }
            general[language] = general_methods()
            header += [_("Indicator"), _("How it is counted")]
    _heading(sheet, 1, header)
    row = 2
    for key in INDICATORS:
        for col, value in enumerate([*texts["tr"][key], *texts["en"][key]], start=1):
            _cell(sheet, row, col, value)
            sheet.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    for tr_text, en_text in zip(general["tr"], general["en"], strict=True):
        for col, value in ((2, tr_text), (4, en_text)):
            _cell(sheet, row, col, value)
            sheet.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for letter, width in zip("ABCD", (30, 70, 30, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def to_xlsx(data: dict[str, Any], generated_at: datetime) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")[:31]
    _indicators_sheet(sheet, data, generated_at)
    # fixed, bilingual name: the same in every language's download
    _methods_sheet(book.create_sheet("Yöntem - Methods"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
