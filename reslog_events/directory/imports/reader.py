"""Reading an uploaded contact list into rows of text, as Turkish offices produce them.

CSV: UTF-8 with or without BOM, UTF-16 ("Unicode text" from Excel), else Windows-1254 (Turkish
Excel's "CSV (semicolon delimited)"); `;`, `,` or tab delimiters; Excel's `sep=;` first line.
XLSX: the first sheet, read-only, cached values (not formulas). Old `.xls` and binary files get a
clear message rather than garbage rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

#: largest upload accepted (bytes)
MAX_BYTES = 5 * 1024 * 1024
#: most data rows in one file
MAX_ROWS = 20_000
#: columns read per row; the rest are ignored
MAX_COLUMNS = 100
#: an XLSX is a zip: refuse those that would inflate beyond this (zip bombs)
MAX_XLSX_INFLATED = 80 * 1024 * 1024

_XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, too large, not CSV/XLSX…)."""

    def __init__(self, message: str, row: int = 0, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.field = field


@dataclass
class Table:
    """Rows of stripped text cells; `rows` holds (row number as the user sees it, cells)."""

    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None


def read_table(data: bytes, filename: str | None = None) -> Table:
    """Every non-blank row of the file, numbered as a spreadsheet shows them (first line = 1)."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (at most %(mb)d MB).", mb=MAX_BYTES // (1024 * 1024))
        )
    if data.startswith(_XLS_SIGNATURE):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or CSV.")
        )
    if data.startswith(_ZIP_SIGNATURE):
        return _read_xlsx(data)
    return _read_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not a readable CSV or XLSX file.")) from None
    if b"\x00" in data[:8192]:
        raise ImportFileError(_("The file is not a readable CSV or XLSX file."))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Turkish Excel saves CSV in Windows-1254.
        return data.decode("cp1254"), "windows-1254"
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's characters cannot be read. Save it as CSV UTF-8 and try again.")
        ) from None


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n\x0c")
    return controls > max(3, len(sample) // 200)


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise ImportFileError(_("The file is not a readable CSV or XLSX file."))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = None
    if first.lower().startswith("sep=") and len(first.strip()) == 5:
        # Excel's hint line; Excel itself does not show it as a row.
        delimiter = first.strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = delimiter or _delimiter(first)
    table = Table(format="csv", encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            _append(table, number, [c.strip() for c in cells[:MAX_COLUMNS]])
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "The CSV file cannot be read near line %(line)d: %(error)s",
                line=reader.line_num,
                error=str(exc),
            )
        ) from None
    if not table.rows:
        raise ImportFileError(_("The file is empty."))
    return table


def _append(table: Table, number: int, cells: list[str]) -> None:
    if any("\x00" in cell for cell in cells):
        # a NUL past the first 8 KB, or an XLSX's _x0000_: no text field can hold it
        raise ImportFileError(_("The file is not a readable CSV or XLSX file."), row=number)
    # the header plus MAX_ROWS data rows; one more is an error
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)d rows. Split it into smaller files.", max=MAX_ROWS)
        )
    table.rows.append((number, cells))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers typed as numbers
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    unreadable = _("The file is not a readable XLSX file. Save it again from Excel as .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(unreadable) from None
    if inflated > MAX_XLSX_INFLATED:
        raise ImportFileError(_("The spreadsheet is too large. Split it into smaller files."))
    if "xl/workbook.xml" not in names:
        raise ImportFileError(unreadable)
    table = Table(format="xlsx")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not know; they do not matter
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    cells = [_cell_text(v) for v in values[:MAX_COLUMNS]]
                    if any(cells):
                        _append(table, number, cells)
            finally:
                workbook.close()
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ImportFileError(unreadable) from None
    if not table.rows:
        raise ImportFileError(_("The file is empty."))
    return table
