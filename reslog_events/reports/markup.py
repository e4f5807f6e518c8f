"""The report table's count cells, written in Python: a row's cells in one call instead of a
Jinja loop per cell (with a filter call, two escapes and a look-up each, that loop was most of
the dashboard's template time: bench/pages.py, the dashboard). The markup is the template's
(`templates/reports/_table.html`)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..core.localised import number_writer

_UNSAFE = frozenset("<>&'\"")


def count_cells(row: dict[str, Any], counts: list[str], hidden_mark: Markup) -> Markup:
    """`<td>` per count of `row`: the number as the page's language writes it, sortable by
    its `data-value`; a hidden count (None) is `hidden_mark`, sorting first (-1)."""
    cells = []
    number = number_writer()
    # a count is an int: its digits need no escaping, and the language's way of grouping them
    # only if its symbol is one HTML reserves (an escape per cell was a third of this
    # function: bench/pages.py, the dashboard)
    plain = _UNSAFE.isdisjoint(number(1234567))
    for name in counts:
        value = row.get(name, "")
        if type(value) is int:
            written = number(value) if plain else escape(number(value))
            cells.append(f'<td class="num" data-value="{value}">{written}</td>')
        elif value is None:
            cells.append(f'<td class="num" data-value="-1">{hidden_mark}</td>')
        elif value == "":
            cells.append('<td class="num" data-value=""></td>')
        else:
            cells.append(
                f'<td class="num" data-value="{escape(value)}">{escape(number(value))}</td>'
            )
    return Markup("".join(cells))  # noqa: S704 - every value escaped above
