"""The attendance report's columns, a row of expected counts and a cell-by-cell comparison: for
the tables computed by hand from the world in conftest.py (test_counts.py and
test_facts_and_rollup.py)."""

from __future__ import annotations

COLUMNS = (
    "invited",
    "accepted",
    "declined",
    "tentative",
    "no_response",
    "waitlisted",
    "attended",
    "walk_ins",
    "no_shows",
    "unique_participants",
    "attendance_days",
)


def counts(
    invited=0,
    accepted=0,
    declined=0,
    tentative=0,
    no_response=0,
    waitlisted=0,
    attended=0,
    walk_ins=0,
    no_shows=0,
    unique=0,
    days=0,
    repeat=0,
    substituted=0,
):
    extra = {"repeat_participants": repeat, "substituted": substituted, "suppressed": False}
    return extra | dict(
        zip(
            COLUMNS,
            (
                invited,
                accepted,
                declined,
                tentative,
                no_response,
                waitlisted,
                attended,
                walk_ins,
                no_shows,
                unique,
                days,
            ),
            strict=True,
        )
    )


# Ayşe (C1) attended E1 and E2: the one person who came to two events
TOTALS = counts(13, 6, 2, 2, 2, 1, attended=6, walk_ins=2, no_shows=1, unique=5, days=7, repeat=1)


def get(api, **params):
    resp = api("coordinator").get("/api/v1/reports/attendance", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json


def assert_table(actual, expected_rows, expected_totals):
    """Cell by cell, in order: [(key, label or None, counts)]."""
    got = [(row["key"], row["label"]) for row in actual["rows"]]
    want = [
        (key, label if label is not None else got_label)
        for (key, label, _), (
            _k,
            got_label,
        ) in zip(expected_rows, got, strict=False)
    ]
    assert got == want
    assert len(actual["rows"]) == len(expected_rows)
    for row, (key, _label, expected) in zip(actual["rows"], expected_rows, strict=True):
        for column in COLUMNS:
            assert row[column] == expected[column], (key, column)
    for column in COLUMNS:
        assert actual["totals"][column] == expected_totals[column], ("totals", column)
