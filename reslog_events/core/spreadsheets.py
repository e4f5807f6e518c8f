"""Spreadsheet output that is safe to open: the one place that neutralises formulas.

Names, organisations, notes and titles come from people and imports. A cell whose text starts
with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets skip before
reading a formula) is run as a formula by Excel and LibreOffice when the file is opened (CSV
injection: `=HYPERLINK(…)`, `=WEBSERVICE(…)`, DDE). Every CSV and XLSX the app writes goes
through this module:

- CSV: such text gets a leading `'`, which spreadsheets show as text and do not evaluate. So
  does such text after a `,` or `;` (or a tab or line break) inside a cell: Excel in Turkish or
  Arabic splits a comma file on `;` (and an English one a `;` file on `,`), and `Vegan;=HYPER…`
  typed into a needs field would start a cell of its own. Every text cell is quoted; numbers
  (negative ones too) are written bare, so that they stay numbers.
- XLSX: such text is stored as a string cell (never a formula) with the quote prefix set, so
  the cell shows exactly what was typed. Dates and times are real date cells (`set_datetime`),
  which Excel sorts and filters as dates.

CSV files start with a BOM so that Excel reads UTF-8 (Ş, ğ, ı, Arabic). Machine CSV (the API)
is comma-separated; pages also offer the `;`-separated file that Excel opens as columns where
the list separator is `;` (Turkish, Arabic, most of Europe): `delimiter_from()`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .datetimes import SPREADSHEET_DATETIME, spreadsheet_value

#: a cell starting with one of these is a formula to a spreadsheet
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


#: a separator a spreadsheet may split on, then (after any spaces) the start of a formula
_INNER_FORMULA = re.compile(r"([,;\t\r\n][ ]*)(?=[=+\-@])")
#: the separators pages offer: `,` (machine CSV) and `;` (Excel with a `;` list separator)
DELIMITERS = (",", ";")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text (at
    its start and after any separator inside it); anything else (numbers, dates) unchanged."""
    if not isinstance(value, str):
        return value
    value = _INNER_FORMULA.sub(r"\1'", value)
    return "'" + value if is_formula_like(value) else value


def delimiter_from(value: str | None) -> str:
    """The separator a page asked for (`?sep=;`), comma otherwise."""
    return value if value in DELIMITERS else ","


def _writer(buffer: io.StringIO, delimiter: str = ",") -> Any:
    # every text cell quoted; numbers bare, so that -5 stays a number
    return csv.writer(
        buffer, lineterminator="\r\n", delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC
    )


def csv_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]], delimiter: str = ",") -> bytes:
    """A whole CSV file (UTF-8 with a BOM), every cell neutralised."""
    out = io.StringIO()
    writer = _writer(out, delimiter)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return (BOM + out.getvalue()).encode("utf-8")


def csv_lines(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], delimiter: str = ","
) -> Iterator[str]:
    """The same CSV text line by line, for streaming a long file."""
    buffer = io.StringIO()
    writer = _writer(buffer, delimiter)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([neutralise(cell) for cell in header])
    yield BOM + take()
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield take()


def set_text(cell: Cell, value: Any) -> None:
    """Put text into an XLSX cell as text: never a formula, whatever it starts with. Control
    characters that XML cannot carry (a name with \\x01 from an import) are left out rather than
    failing the whole download."""
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl made it "f" for text starting with "="
    cell.quotePrefix = is_formula_like(text)


def set_datetime(cell: Cell, value: datetime, zone: str | tzinfo | None) -> None:
    """Put a moment into an XLSX cell as a date cell: the wall-clock time in `zone` (Excel
    knows no zones), shown as `SPREADSHEET_DATETIME`."""
    cell.value = spreadsheet_value(value, zone)
    cell.number_format = SPREADSHEET_DATETIME


def append_values(
    sheet: Worksheet, values: list[Any], number_format: str | None = None, convert: Any = None
) -> None:
    """Append a row: text as text (`set_text`), numbers as numbers (`convert`ed, with
    `number_format`), None left empty (a count hidden by the small-cell rule)."""
    sheet.append([None] * len(values))
    row = sheet.max_row
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=col)
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = convert(value) if convert else value
            if number_format:
                cell.number_format = number_format


def about_sheet(book: Workbook, title: str, lines: list[tuple[str, str]]) -> None:
    """The "About" sheet of an export: a bold key and its wrapped text per line."""
    about = book.create_sheet(title[:31])
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    for key, value in lines:
        about.append([None, None])
        set_text(about.cell(row=about.max_row, column=1), key)
        set_text(about.cell(row=about.max_row, column=2), value)
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
        about.cell(row=about.max_row, column=2).alignment = Alignment(wrap_text=True)
