"""Every text stored in the database: what people typed (names, titles, notes), for tests that
must tell the app's own text from the content it shows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def stored_texts(min_length: int = 3) -> frozenset[str]:
    """The text columns' values (JSON ones' strings too), whitespace collapsed; the shortest
    left out (they would match inside words)."""
    from reslog_events.extensions import db

    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [
            column
            for column in table.columns
            if isinstance(column.type, sa.String | sa.Text | sa.JSON)
            and not isinstance(column.type, sa.Enum)
        ]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for value in row:
                found.update(" ".join(s.split()) for s in _strings(value))
    return frozenset(s for s in found if len(s) >= min_length)
