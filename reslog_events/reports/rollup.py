"""SQL of `attendance_rollup` and `attendance_presence` (see their models): the rebuild after a
bulk load. The triggers that keep them, and the first backfills, are in migrations 0005 and
0007 (frozen there)."""

from __future__ import annotations

ROLLUP_COUNTS = (
    "invited, accepted, declined, tentative, no_response, waitlisted, attended, walk_ins, "
    "accepted_absent, attendance_days"
)


def _month(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"to_char(timezone(INTERVAL '+03:00', {column}), 'YYYY-MM')"
    return f"strftime('%Y-%m', {column}, '+3 hours')"


def _contribution(dialect: str, row: str) -> str:
    """One fact row's counts, in ROLLUP_COUNTS order."""
    flag = (lambda e: f"({e})::int") if dialect == "postgresql" else (lambda e: f"({e})")
    return ", ".join(
        [
            "1",
            flag(f"{row}.status = 'accepted'"),
            flag(f"{row}.status = 'declined'"),
            flag(f"{row}.status = 'tentative'"),
            flag(f"{row}.status = 'pending'"),
            flag(f"{row}.status = 'waitlisted'"),
            flag(f"{row}.days > 0"),
            flag(f"{row}.days > 0 AND ({row}.status <> 'accepted' OR {row}.is_walk_in)"),
            flag(f"{row}.status = 'accepted' AND {row}.days = 0 AND NOT {row}.is_walk_in"),
            f"{row}.days",
        ]
    )


def _counted(row: str) -> str:
    return f"{row}.status <> 'revoked' AND {row}.event_status <> 'cancelled'"


def backfill(dialect: str) -> str:
    """INSERT … SELECT of every rollup row from the facts."""
    sums = ", ".join(f"SUM(c{i})" for i in range(10))
    values = ", ".join(
        f"{v} AS c{i}" for i, v in enumerate(_contribution(dialect, "f").split(", "))
    )
    # only constants of this module go into the text: no user input
    return f"""
INSERT INTO attendance_rollup (organisation_key, month, {ROLLUP_COUNTS})
SELECT k, m, {sums} FROM (
  SELECT COALESCE(f.organisation_id, 0) AS k, {_month(dialect, "f.starts_at")} AS m, {values}
  FROM attendance_facts f WHERE {_counted("f")}
) x GROUP BY k, m
"""  # noqa: S608


def presence_backfill(dialect: str) -> str:
    """INSERT … SELECT of every presence row (month, contact, organisation) from the facts."""
    return f"""
INSERT INTO attendance_presence (month, contact_id, organisation_key, attended)
SELECT {_month(dialect, "f.starts_at")}, f.contact_id, COALESCE(f.organisation_id, 0), COUNT(*)
FROM attendance_facts f WHERE f.days > 0 AND {_counted("f")}
GROUP BY 1, 2, 3
"""  # noqa: S608
