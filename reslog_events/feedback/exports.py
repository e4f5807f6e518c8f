"""The results as CSV (UTF-8 with a BOM; every text cell neutralised, as the attendance
report's) and XLSX: counts only, in a long table (question, breakdown, group, answer, count),
the free answers on a sheet of their own without any attribute, and a sheet that explains."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..core.spreadsheets import about_sheet, append_values, csv_bytes, set_text
from ..reports.api import XLSX_TYPE, download
from ..reports.exports import hidden_note
from ..reports.schemas import ExportFormat
from .results import breakdown_labels
from .schemas import Cell, EventResults, FeedbackReport, QuestionResult

Rows = list[list[Any]]


def _header() -> list[str]:
    return [_("Question"), _("Breakdown"), _("Group"), _("Answer"), _("Count")]


def _cell_rows(question: QuestionResult, breakdown: str, cell: Cell) -> Rows:
    labels = {option.key: option.label for option in question.options}
    group = cell.label if cell.label is not None else _("Everyone")
    rows: Rows = [
        [question.text, breakdown, group, labels.get(key, key), count]
        for key, count in cell.counts.items()
    ]
    rows.append([question.text, breakdown, group, _("Answered"), cell.answered])
    if cell.average is not None:
        rows.append([question.text, breakdown, group, _("Average (1–5)"), cell.average])
    return rows


def result_rows(questions: list[QuestionResult]) -> Rows:
    names = breakdown_labels()
    rows: Rows = []
    for question in questions:
        rows += _cell_rows(question, _("All"), question.overall)
        for name, cells in question.breakdowns.items():
            for cell in cells:
                rows += _cell_rows(question, names[name], cell)
    return rows


def comment_rows(questions: list[QuestionResult]) -> Rows:
    return [
        [question.text, comment] for question in questions for comment in question.comments or ()
    ]


def event_csv(results: EventResults, delimiter: str = ",") -> bytes:
    rows = result_rows(results.questions)
    rows += [
        [text, _("Comment"), "", comment, ""] for text, comment in comment_rows(results.questions)
    ]
    return csv_bytes(_header(), rows, delimiter)


def report_csv(report: FeedbackReport, delimiter: str = ",") -> bytes:
    rows = [
        [_("Respondents"), _("Event"), event.title, "", event.respondents]
        for event in report.events
    ]
    rows += [
        [_("Average usefulness (1–5)"), _("Event"), event.title, "", event.average_usefulness]
        for event in report.events
        if event.average_usefulness is not None
    ]
    return csv_bytes(_header(), rows + result_rows(report.questions), delimiter)


def _sheet(book: Workbook, title: str, header: list[str], rows: Rows, first: bool = False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append([None] * len(header))
    for col, text in enumerate(header, start=1):
        set_text(sheet.cell(row=1, column=col), text)
        sheet.cell(row=1, column=col).font = Font(bold=True)
    for values in rows:  # None: hidden (small cells), left empty
        append_values(sheet, values)
    for col, width in enumerate((50, 22, 30, 30, 10)[: len(header)], start=1):
        sheet.column_dimensions[chr(64 + col)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def notes(hidden: bool) -> list[tuple[str, str]]:
    lines = [
        (
            _("Note"),
            _(
                "Answers are stored without the names of those who gave them: these tables "
                "count answers, and free comments are listed without who wrote them."
            ),
        ),
        (
            _("Note"),
            _("Gender, role and kind of organisation are as they were when the person answered."),
        ),
    ]
    if hidden:
        lines.append((_("Note"), hidden_note()))
    return lines


def _any_hidden(questions: list[QuestionResult], *more: bool) -> bool:
    cells = [q.overall for q in questions] + [
        c for q in questions for cells in q.breakdowns.values() for c in cells
    ]
    return any(more) or any(c.suppressed for c in cells)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def event_xlsx(results: EventResults) -> bytes:
    book = Workbook()
    _sheet(book, _("Results"), _header(), result_rows(results.questions), first=True)
    comments = comment_rows(results.questions)
    if comments:
        _sheet(book, _("Comments"), [_("Question"), _("Comment")], comments)
    lines = [(_("Event"), results.title)] + notes(
        _any_hidden(results.questions, results.suppressed)
    )
    about_sheet(book, _("About"), lines)
    return _save(book)


def report_xlsx(report: FeedbackReport, params: dict[str, Any]) -> bytes:
    book = Workbook()
    events = [[e.title, e.respondents, e.average_usefulness] for e in report.events]
    header = [_("Event"), _("Respondents"), _("Average usefulness (1–5)")]
    _sheet(book, _("Events"), header, events, first=True)
    _sheet(book, _("Results"), _header(), result_rows(report.questions))
    hidden = _any_hidden(
        report.questions, report.suppressed, *(e.suppressed for e in report.events)
    )
    lines = [(key, str(value)) for key, value in params.items()] + notes(hidden)
    about_sheet(book, _("About"), lines)
    return _save(book)


def as_download(
    fmt: ExportFormat, name: str, csv: Callable[[], bytes], xlsx: Callable[[], bytes]
) -> Response | None:
    """The file `name`.csv or `name`.xlsx for those formats; None for JSON."""
    if fmt == ExportFormat.csv:
        return download(csv(), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == ExportFormat.xlsx:
        return download(xlsx(), XLSX_TYPE, f"{name}.xlsx")
    return None
