"""Small cells: for random report tables, what a coordinator is shown hides every count from 1
to the minimum − 1, and no hidden count follows, by linear algebra, from the shown counts
through the relations among the columns (each row) and the totals (each column): the whole
table's system of equations, whose null space must move every hidden cell."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reslog_events.reports.scope import COUNTS
from reslog_events.reports.suppression import (
    ROW_RELATIONS,
    nullspace,
    suppress,
    suppress_together,
)

SETTINGS = settings(max_examples=150, derandomize=True, deadline=None, database=None)
# mostly small counts, so that many cells are small and the complements interact
COUNT = st.one_of(st.integers(0, 6), st.integers(0, 60))
MIN_CELL = 5


def row_of(values: list[int], columns: tuple[str, ...]) -> dict[str, int]:
    return dict(zip(columns, values, strict=True))


@st.composite
def tables(draw, columns: tuple[str, ...] = COUNTS):
    n = draw(st.integers(0, 6))
    rows = [
        row_of(draw(st.lists(COUNT, min_size=len(columns), max_size=len(columns))), columns)
        for _ in range(n)
    ]
    # the totals: the column sums, or (unions, people) anything at least as large as a row
    if not rows or draw(st.booleans()):
        totals = {c: sum(row[c] for row in rows) for c in columns}
    else:
        values = draw(st.lists(COUNT, min_size=len(columns), max_size=len(columns)))
        totals = row_of(values, columns)
    labelled = [{"key": i, "label": str(i), **r} for i, r in enumerate(rows)]
    return {"rows": labelled, "totals": totals}


def derivable(table: dict, columns: tuple[str, ...]) -> list[tuple[int, str]]:
    """The hidden cells (row index, the totals being last; column) that the shown cells pin."""
    rows = [*table["rows"], table["totals"]]
    unknowns = [(i, c) for i, row in enumerate(rows) for c in columns if row[c] is None]
    if not unknowns:
        return []
    at = {cell: j for j, cell in enumerate(unknowns)}
    equations = []
    for i in range(len(rows)):
        for relation in ROW_RELATIONS:
            if set(relation) <= set(columns):
                equations.append({(i, c): k for c, k in relation.items()})
    total = len(rows) - 1
    for c in columns:
        equation = {(i, c): 1 for i in range(total)}
        equation[(total, c)] = -1
        equations.append(equation)
    matrix = [
        [Fraction(eq.get(cell, 0)) for cell in unknowns]
        for eq in equations
        if any(cell in at for cell in eq)
    ]
    basis = nullspace(matrix, len(unknowns))
    return [cell for cell in unknowns if all(v[at[cell]] == 0 for v in basis)]


def check(original: dict, shown: dict, columns: tuple[str, ...]) -> None:
    for before, after in zip(
        [*original["rows"], original["totals"]], [*shown["rows"], shown["totals"]], strict=True
    ):
        hidden = [c for c in columns if after[c] is None]
        assert after.get("suppressed", False) == bool(hidden)
        for c in columns:
            if 0 < before[c] < MIN_CELL:
                assert after[c] is None, c
            elif after[c] is not None:
                assert after[c] == before[c]
    assert derivable(shown, columns) == []


def copy(table: dict) -> dict:
    return {"rows": [dict(r) for r in table["rows"]], "totals": dict(table["totals"])}


@SETTINGS
@given(table=tables())
def test_no_hidden_count_follows_from_the_shown_ones(table):
    shown = copy(table)
    suppress(shown, MIN_CELL)
    check(table, shown, COUNTS)


PEOPLE = ("unique_participants",)


@SETTINGS
@given(table=tables(), split=tables(PEOPLE))
def test_tables_with_the_same_totals_hide_the_same_totals(table, split):
    people = table["totals"]["unique_participants"]
    split["totals"]["unique_participants"] = people
    # no rows, no people (and the other way round), as in any real pair of tables
    if not table["rows"]:
        split["rows"] = []
    elif not split["rows"]:
        split["rows"] = [{"key": 0, "label": "0", "unique_participants": people}]
    shown, shown_split = copy(table), copy(split)
    suppress_together([shown, shown_split], MIN_CELL)
    check(table, shown, COUNTS)
    check(split, shown_split, PEOPLE)
    assert (shown["totals"]["unique_participants"] is None) == (
        shown_split["totals"]["unique_participants"] is None
    )


def test_the_issue_s_example_hides_the_pair_and_its_complements():
    """One event, one organisation: 'Female invited 1, declined 1' (issue 13)."""
    row = dict.fromkeys(COUNTS, 0) | {"invited": 1, "declined": 1}
    table = {"rows": [{"key": "female", "label": "F", **row}], "totals": dict(row)}
    suppress(table, MIN_CELL)
    assert table["rows"][0]["invited"] is None and table["rows"][0]["declined"] is None
    assert table["totals"]["invited"] is None and table["rows"][0]["suppressed"] is True


def test_a_minimum_of_one_hides_nothing():
    row = dict.fromkeys(COUNTS, 1)
    table = {"rows": [{"key": 1, "label": "x", **row}], "totals": dict(row)}
    suppress(table, 1)
    assert table["rows"][0] == {"key": 1, "label": "x", **row}
