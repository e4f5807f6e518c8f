"""reports: attendance_presence, who attended in which month (the per-month trend's distinct
participants), kept by a trigger on attendance_facts

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Frozen here (the app's copy is reslog_events/reports/rollup.py).


def _month(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"to_char(timezone(INTERVAL '+03:00', {column}), 'YYYY-MM')"
    return f"strftime('%Y-%m', {column}, '+3 hours')"


def _present(row: str) -> str:
    """The fact counts as attended: checked in, not revoked, event not cancelled."""
    return f"{row}.days > 0 AND {row}.status <> 'revoked' AND {row}.event_status <> 'cancelled'"


def _key(dialect: str, row: str) -> str:
    return (
        f"month = {_month(dialect, f'{row}.starts_at')} AND contact_id = {row}.contact_id"
        f" AND organisation_key = COALESCE({row}.organisation_id, 0)"
    )


def backfill(dialect: str) -> str:
    return f"""
INSERT INTO attendance_presence (month, contact_id, organisation_key, attended)
SELECT {_month(dialect, "f.starts_at")}, f.contact_id, COALESCE(f.organisation_id, 0), COUNT(*)
FROM attendance_facts f WHERE {_present("f")}
GROUP BY 1, 2, 3
"""


def _add(dialect: str) -> str:
    return f"""
    INSERT INTO attendance_presence (month, contact_id, organisation_key, attended)
    VALUES ({_month(dialect, "NEW.starts_at")}, NEW.contact_id, COALESCE(NEW.organisation_id, 0), 1)
    ON CONFLICT (month, contact_id, organisation_key)
    DO UPDATE SET attended = attendance_presence.attended + 1;"""


def _subtract(dialect: str) -> str:
    # a row leaves when its last attended invitation does: the table holds only presences
    return f"""
    UPDATE attendance_presence SET attended = attended - 1 WHERE {_key(dialect, "OLD")};
    DELETE FROM attendance_presence WHERE {_key(dialect, "OLD")} AND attended <= 0;"""


def triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":
        # A second day's check-in (days 1 → 2) changes nothing here: skipped early, so that the
        # door pays only for the first scan of a person.
        return [
            f"""
CREATE FUNCTION reports_presence_of_fact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND ({_present("OLD")}) = ({_present("NEW")})
     AND OLD.contact_id = NEW.contact_id
     AND OLD.organisation_id IS NOT DISTINCT FROM NEW.organisation_id
     AND OLD.starts_at = NEW.starts_at THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_present("OLD")} THEN
    {_subtract(dialect)}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND {_present("NEW")} THEN
    {_add(dialect)}
  END IF;
  RETURN NULL;
END $$
""",
            """
CREATE TRIGGER attendance_presence_of_fact AFTER INSERT OR UPDATE OR DELETE
ON attendance_facts FOR EACH ROW EXECUTE FUNCTION reports_presence_of_fact()
""",
        ]
    # SQLite: one trigger per event and side (a same-key update subtracts and adds back)
    sides = (
        ("insert", "INSERT", "NEW", _add(dialect)),
        ("update_old", "UPDATE", "OLD", _subtract(dialect)),
        ("update_new", "UPDATE", "NEW", _add(dialect)),
        ("delete", "DELETE", "OLD", _subtract(dialect)),
    )
    return [
        f"CREATE TRIGGER attendance_presence_fact_{name} AFTER {event} ON attendance_facts\n"
        f"WHEN {_present(row)}\nBEGIN {body}\nEND"
        for name, event, row, body in sides
    ]


def upgrade():
    op.create_table(
        "attendance_presence",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("contact_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organisation_key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("attended", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month", "contact_id", "organisation_key", name=op.f("pk_attendance_presence")
        ),
    )
    dialect = op.get_bind().dialect.name
    op.execute(backfill(dialect))
    for statement in triggers(dialect):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS attendance_presence_of_fact ON attendance_facts")
        op.execute("DROP FUNCTION IF EXISTS reports_presence_of_fact()")
    else:
        for name in (
            "attendance_presence_fact_insert",
            "attendance_presence_fact_update_old",
            "attendance_presence_fact_update_new",
            "attendance_presence_fact_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("attendance_presence")
