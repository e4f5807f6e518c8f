"""Contact import from CSV or XLSX: read (`reader`), recognise columns and values (`columns`),
plan and validate (`plan`); the write is `directory.operations.import_contacts`."""

from .plan import ImportPlan, PlannedRow, RowError, plan_import
from .reader import MAX_BYTES, MAX_ROWS, ImportFileError, read_table

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "ImportPlan",
    "PlannedRow",
    "RowError",
    "plan_import",
    "read_table",
]
