"""Small cells: what coordinators see of a report table (CONTRACT.md, "Reports (added)").

A count from 1 to `REPORT_MIN_CELL` − 1 could point at a person ("Female invited 1, declined
1"), so to coordinators it is `null` and its row (or the totals) says `"suppressed": true`.
Hiding it is not enough when it can be worked out from what is shown, so more cells are hidden
(complementary suppression) until no hidden cell follows from these relations:

- in every row and in the totals: invited = accepted + declined + tentative + no_response +
  waitlisted + substituted, and accepted = attended − walk_ins + no_shows (exact once the
  events have ended), and, taken as equal because they often are, attended =
  unique_participants (one invitation per person and event) = attendance_days (one-day
  events); for a survey's reach (feedback), sent = respondents + not_answered;
- in every column: the totals are the sum of the rows (exact for counts of invitations under a
  grouping that splits them; taken as exact for people and for unions too).

Taking the approximate relations as exact only hides more. The method, for each table:

1. In each row, the small cells are hidden; then, as long as a hidden cell follows from that
   row's relations and the row's shown cells, the smallest shown cell of a relation it is in is
   hidden too. So each hidden cell can change, within its row, along some change of the hidden
   cells that keeps the row's relations.
2. Every row with hidden cells needs another row (or the totals) whose hidden cells include all
   of its own: the two can change together, in opposite directions (or, with the totals, in the
   same one), keeping every column's sum. A row without one passes its hidden columns to the
   row where that hides least, and step 1 runs there again; until every row has its partner.

Every hidden cell then lies on a change of the hidden cells that keeps every relation, so no
relation pins it (the property test checks this by linear algebra on random tables). Tables
that share their totals (the dashboard's table and its charts) are suppressed together, with
the same cells of the totals hidden in each.

Tables of different groupings of the same period are suppressed one by one: combining them
(a province's row against its organisations' rows) is beyond this (docs/reports.md).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flask import current_app

from ..auth.models import Role

#: the relations within a row: {column: coefficient}, each summing to zero
ROW_RELATIONS: tuple[dict[str, int], ...] = (
    {
        "invited": 1,
        "accepted": -1,
        "declined": -1,
        "tentative": -1,
        "no_response": -1,
        "waitlisted": -1,
        "substituted": -1,
    },
    {"accepted": 1, "attended": -1, "walk_ins": 1, "no_shows": -1},
    {"attended": 1, "unique_participants": -1},
    {"attended": 1, "attendance_days": -1},
    # a survey's reach (feedback): those sent it are those who answered and those who did not
    {"sent": 1, "respondents": -1, "not_answered": -1},
)


def is_small(value: Any, min_cell: int) -> bool:
    return isinstance(value, int) and 0 < value < min_cell


def nullspace(matrix: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """A basis of the vectors x with matrix · x = 0 (reduced row echelon form)."""
    rows = [row[:] for row in matrix]
    pivots: list[int] = []
    for col in range(width):
        rank = len(pivots)
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [v / lead for v in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        pivots.append(col)
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for i, col in enumerate(pivots):
            vector[col] = -rows[i][free]
        basis.append(vector)
    return basis


def pinned(relations: list[dict[str, int]], hidden: list[str]) -> list[str]:
    """The hidden columns whose value follows from the relations (all other columns known):
    those whose unit vector lies in the span of the relations restricted to the hidden."""
    key = (tuple(tuple(sorted(rel.items())) for rel in relations), tuple(hidden))
    if key not in _PINNED:
        _PINNED[key] = _pinned(relations, hidden)
    return _PINNED[key]


#: pinned() depends on the columns only, and a table has a few hundred patterns at most
_PINNED: dict[tuple, list[str]] = {}


def _pinned(relations: list[dict[str, int]], hidden: list[str]) -> list[str]:
    # a hidden cell is free exactly when some change of the hidden cells that keeps every
    # relation moves it: a vector of the null space with a non-zero there
    matrix = [[Fraction(rel.get(c, 0)) for c in hidden] for rel in relations]
    basis = nullspace([row for row in matrix if any(row)], len(hidden))
    return [c for i, c in enumerate(hidden) if all(v[i] == 0 for v in basis)]


def _relations(columns: set[str]) -> list[dict[str, int]]:
    """The row relations that a table with these columns shows whole."""
    return [rel for rel in ROW_RELATIONS if set(rel) <= columns]


def _close(row: dict[str, Any], hidden: set[str], relations: list[dict[str, int]]) -> set[str]:
    """`hidden` grown until no hidden cell of the row follows from its relations."""
    hidden = set(hidden)
    while hidden:
        stuck = pinned(relations, sorted(hidden))
        if not stuck:
            return hidden
        column = stuck[0]
        touching = [rel for rel in relations if column in rel] or relations
        shown = {c for rel in touching for c in rel if c not in hidden}
        if not shown:
            shown = {c for rel in relations for c in rel if c not in hidden}
        if not shown:
            return hidden
        # the smallest count, a non-zero one first (a hidden zero is easily guessed)
        hidden.add(min(shown, key=lambda c: (row[c] == 0, row[c], c)))
    return hidden


def _patterns(
    rows: list[dict[str, Any]],
    columns: list[str],
    min_cell: int,
    forced_totals: set[str],
) -> list[set[str]]:
    """The hidden columns of each row; the totals are the last row."""
    relations = _relations(set(columns))
    patterns = [
        _close(row, {c for c in columns if is_small(row[c], min_cell)}, relations) for row in rows
    ]
    if forced_totals & set(columns):
        patterns[-1] = _close(rows[-1], patterns[-1] | (forced_totals & set(columns)), relations)
    if len(rows) < 2:
        return patterns
    while (i := _alone(patterns)) is not None:
        pattern = patterns[i]
        partner = min(
            (j for j in range(len(rows)) if j != i),
            key=lambda j: (
                sum(rows[j][c] for c in pattern - patterns[j]),
                len(pattern - patterns[j]),
                j,
            ),
        )
        patterns[partner] = _close(rows[partner], patterns[partner] | pattern, relations)
    return patterns


def _alone(patterns: list[set[str]]) -> int | None:
    """A row with hidden cells and no other row hiding at least those, if any."""
    seen: dict[frozenset[str], list[int]] = {}
    for i, pattern in enumerate(patterns):
        if pattern:
            seen.setdefault(frozenset(pattern), []).append(i)
    for pattern, where in seen.items():
        if len(where) == 1 and not any(other > pattern for other in seen):
            return where[0]
    return None


def _columns(table: dict[str, Any]) -> list[str]:
    """The count columns: the report's, or any other table's (the door's refusals)."""
    totals = table["totals"]
    return [
        c
        for c, v in totals.items()
        if c != "suppressed" and isinstance(v, int) and not isinstance(v, bool)
    ]


def suppress(
    table: dict[str, Any], min_cell: int, forced_totals: set[str] | None = None
) -> set[str]:
    """Hide the table's small cells and their complements in place (`{"rows", "totals"}`,
    counts as ints); returns the hidden columns of the totals."""
    columns = _columns(table)
    rows = [*table["rows"], table["totals"]]
    if min_cell <= 1 or not columns:
        return set()
    patterns = _patterns(rows, columns, min_cell, forced_totals or set())
    for row, pattern in zip(rows, patterns, strict=True):
        for column in pattern:
            row[column] = None
        if pattern:
            row["suppressed"] = True
    return patterns[-1]


def suppress_together(tables: list[dict[str, Any]], min_cell: int) -> None:
    """Tables with the same totals (the same scope, other groupings): the same totals cells
    hidden in every one, so that none shows a total that another hides."""
    originals = [
        {"rows": [dict(row) for row in t["rows"]], "totals": dict(t["totals"])} for t in tables
    ]
    forced: set[str] = set()
    while True:
        trial = [
            {"rows": [dict(row) for row in t["rows"]], "totals": dict(t["totals"])}
            for t in originals
        ]
        patterns = [suppress(t, min_cell, forced) for t in trial]
        hidden = forced.union(*patterns)
        # done when every table hides all of the union that it has as columns
        if all(p == hidden & set(_columns(t)) for p, t in zip(patterns, originals, strict=True)):
            break
        forced = hidden
    for table, result in zip(tables, trial, strict=True):
        table["rows"], table["totals"] = result["rows"], result["totals"]


def hides_small_cells(user: Any) -> bool:
    """Coordinators see small cells hidden; organisers and admins see exact counts."""
    return getattr(user, "role", None) == Role.coordinator


def for_reader(user: Any, *tables: dict[str, Any]) -> None:
    """The tables (of one scope) as `user` may see them, in place."""
    if hides_small_cells(user):
        suppress_together(list(tables), int(current_app.config["REPORT_MIN_CELL"]))


def counts_for_reader(user: Any, counts: dict[str, int]) -> dict[str, int | None]:
    """Counts of people shown side by side outside the reports (an event's answers, an
    agenda's seats, a survey's reach), as `user` may see them: one row under the reports' rule
    (`for_reader`), so that a row relation among its columns (ROW_RELATIONS) hides the
    complements too. Columns in no relation are independent: only their small counts hide.
    For a coordinator, {"invited": 9, "accepted": 6, "declined": 1, …} gives "declined" None
    and, so that 9 − 6 does not give it back, a second count of the row None too."""
    table: dict[str, Any] = {"rows": [], "totals": dict(counts)}
    for_reader(user, table)
    return {column: value for column, value in table["totals"].items() if column != "suppressed"}


def any_hidden(*tables: dict[str, Any]) -> bool:
    return any(row.get("suppressed") for t in tables for row in [*t["rows"], t["totals"]])
