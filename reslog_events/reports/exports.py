"""The attendance table as CSV (UTF-8 with a BOM, so Excel reads Turkish letters) and XLSX
(numbers as numbers, a header row, column widths, frozen panes).

Labels come from people (organisation names, event titles): a cell starting with = + - @ (or a
tab or carriage return) would be a formula to a spreadsheet, so such text is neutralised.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..core.columns import utcnow
from ..core.datetimes import moment_in_zone
from ..core.spreadsheets import about_sheet, append_values, csv_bytes
from ..core.turkish import locale_lower  # noqa: E402
from .queries import CONTRACT_COUNTS, REPORT_ZONE_NAME
from .schemas import GroupBy
from .suppression import any_hidden


def count_headings() -> dict[str, str]:
    return {
        "invited": _("Invited"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "tentative": _("Tentative"),
        "no_response": _("No answer"),
        "waitlisted": _("Waitlisted"),
        "substituted": _("Sent a colleague"),
        "attended": _("Attended"),
        "walk_ins": _("Walk-ins"),
        "no_shows": _("No-shows"),
        "unique_participants": _("Participants"),
        "repeat_participants": _("Repeat participants"),
        "attendance_days": _("Attendance days"),
    }


def _table(table: dict[str, Any], group_by: GroupBy) -> tuple[list[str], list[list[Any]]]:
    headings = count_headings()
    header = [str(group_by.label)] + [headings[name] for name in CONTRACT_COUNTS]
    body = [[row["label"]] + [row[name] for name in CONTRACT_COUNTS] for row in table["rows"]]
    totals = [_("Total (distinct invitations)")] + [
        table["totals"][name] for name in CONTRACT_COUNTS
    ]
    return header, body + [totals]


def to_csv(table: dict[str, Any], group_by: GroupBy, delimiter: str = ",") -> bytes:
    header, body = _table(table, group_by)
    return csv_bytes(header, body, delimiter)


def to_xlsx(
    table: dict[str, Any],
    group_by: GroupBy,
    params: dict[str, Any],
    generated_at: datetime | None = None,
) -> bytes:
    header, body = _table(table, group_by)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Attendance")[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in body:  # a hidden count (small cells) left empty: the About sheet says why
        append_values(sheet, values, number_format="#,##0", convert=int)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    label_width = max([len(str(r[0])) for r in body] + [len(header[0]), 12])
    sheet.column_dimensions["A"].width = min(label_width + 2, 60)
    for col, text in enumerate(header[1:], start=2):
        sheet.column_dimensions[get_column_letter(col)].width = max(len(text) + 2, 10)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{sheet.max_row - 1}"

    lines = [
        (_("Report"), _("Attendance by %(group)s", group=locale_lower(group_by.label))),
        (_("Generated"), moment_in_zone(generated_at or utcnow(), "UTC")),
        (_("Time zone of dates"), REPORT_ZONE_NAME + " (UTC+03:00)"),
    ]
    lines += [(key, str(value)) for key, value in params.items() if key != "format"]
    lines += [(_("Note"), note) for note in definitions()]
    if any_hidden(table):
        lines.append((_("Note"), hidden_note()))
    about_sheet(book, _("About"), lines)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hidden_note() -> str:
    """Why a cell is empty, for the page, the exports and the emails."""
    return _(
        "Empty cells are hidden to protect people: counts from 1 to %(n)s, and counts from "
        "which one of them could be worked out, are not shown to coordinators.",
        n=current_app.config["REPORT_MIN_CELL"] - 1,
    )


def definitions() -> list[str]:
    """What the columns mean, for the page and the exports."""
    return [
        _(
            "Invited: invitations not revoked. Cancelled events and revoked invitations count "
            "nowhere."
        ),
        _(
            "Walk-ins registered at the door are invitations too: they count in Invited and, "
            "having given no answer, in No answer."
        ),
        _(
            "Attended: invitations with at least one check-in; walk-ins: attended without having "
            "accepted; no-shows: accepted, did not come, and the event has ended."
        ),
        _(
            "Participants: different people who attended; attendance days: check-in days summed "
            "(a two-day workshop attended on both days counts 2)."
        ),
        _(
            "Repeat participants: people who attended two or more events in the period (with "
            "the report's filters); in a row, those of the row's participants."
        ),
        _("An invitation counts under the organisation the person belonged to when invited."),
        _(
            "An organisation in two unions counts in both, so the union rows can add up to more "
            "than the totals, which count each invitation once."
        ),
        _("Dates and months are those of the event's start in Türkiye time (UTC+03:00)."),
        _(
            "By series: an event counts under its recurring series, named by its first event; "
            'events in no series count together under "Not in a series".'
        ),
    ]
