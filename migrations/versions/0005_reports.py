"""reports: the attendance facts table kept by triggers, and the monthly summary's period

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FACT_COLUMNS = (
    "invitation_id, event_id, organisation_id, contact_id, status, is_walk_in, days, "
    "starts_at, ends_at, event_status, kind, level"
)
ATTENDED = "days > 0 AND status <> 'revoked' AND event_status <> 'cancelled'"

BACKFILL = f"""
INSERT INTO attendance_facts ({FACT_COLUMNS})
SELECT i.id, i.event_id, i.organisation_id, i.contact_id, i.status, i.is_walk_in,
       COALESCE(c.days, 0), e.starts_at, e.ends_at, e.status, e.kind, e.level
FROM invitations i
JOIN events e ON e.id = i.event_id
LEFT JOIN (SELECT invitation_id, COUNT(*) AS days FROM checkins GROUP BY invitation_id) c
       ON c.invitation_id = i.id
"""

# SQLite: the event's columns for invitation NEW
EVENT_OF_NEW = """
         starts_at = (SELECT starts_at FROM events WHERE id = NEW.event_id),
         ends_at = (SELECT ends_at FROM events WHERE id = NEW.event_id),
         event_status = (SELECT status FROM events WHERE id = NEW.event_id),
         kind = (SELECT kind FROM events WHERE id = NEW.event_id),
         level = (SELECT level FROM events WHERE id = NEW.event_id)"""

COPY_EVENT = """
  UPDATE attendance_facts
     SET starts_at = NEW.starts_at, ends_at = NEW.ends_at, event_status = NEW.status,
         kind = NEW.kind, level = NEW.level
   WHERE event_id = NEW.id;"""

POSTGRES_TRIGGERS = [
    """
CREATE FUNCTION reports_fact_of_invitation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO attendance_facts (invitation_id, event_id, organisation_id, contact_id, status,
                                  is_walk_in, days, starts_at, ends_at, event_status, kind,
                                  level)
    SELECT NEW.id, NEW.event_id, NEW.organisation_id, NEW.contact_id, NEW.status,
           NEW.is_walk_in, 0, e.starts_at, e.ends_at, e.status, e.kind, e.level
      FROM events e WHERE e.id = NEW.event_id;
  ELSE
    UPDATE attendance_facts
       SET event_id = NEW.event_id, organisation_id = NEW.organisation_id,
           contact_id = NEW.contact_id, status = NEW.status, is_walk_in = NEW.is_walk_in,
           starts_at = e.starts_at, ends_at = e.ends_at, event_status = e.status,
           kind = e.kind, level = e.level
      FROM events e
     WHERE invitation_id = NEW.id AND e.id = NEW.event_id;
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE TRIGGER attendance_facts_of_invitation
AFTER INSERT OR UPDATE OF event_id, organisation_id, contact_id, status, is_walk_in
ON invitations FOR EACH ROW EXECUTE FUNCTION reports_fact_of_invitation()
""",
    """
CREATE FUNCTION reports_fact_of_checkin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE attendance_facts SET days = days - 1 WHERE invitation_id = OLD.invitation_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE attendance_facts SET days = days + 1 WHERE invitation_id = NEW.invitation_id;
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE TRIGGER attendance_facts_of_checkin
AFTER INSERT OR DELETE OR UPDATE OF invitation_id
ON checkins FOR EACH ROW EXECUTE FUNCTION reports_fact_of_checkin()
""",
    f"""
CREATE FUNCTION reports_facts_of_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {COPY_EVENT}
  RETURN NULL;
END $$
""",
    """
CREATE TRIGGER attendance_facts_of_event
AFTER UPDATE OF status, starts_at, ends_at, kind, level
ON events FOR EACH ROW EXECUTE FUNCTION reports_facts_of_event()
""",
]

SQLITE_TRIGGERS = [
    f"""
CREATE TRIGGER attendance_facts_invitation_insert AFTER INSERT ON invitations
BEGIN
  INSERT INTO attendance_facts ({FACT_COLUMNS})
  SELECT NEW.id, NEW.event_id, NEW.organisation_id, NEW.contact_id, NEW.status,
         NEW.is_walk_in, 0, e.starts_at, e.ends_at, e.status, e.kind, e.level
    FROM events e WHERE e.id = NEW.event_id;
END
""",
    f"""
CREATE TRIGGER attendance_facts_invitation_update
AFTER UPDATE OF event_id, organisation_id, contact_id, status, is_walk_in ON invitations
BEGIN
  UPDATE attendance_facts
     SET event_id = NEW.event_id, organisation_id = NEW.organisation_id,
         contact_id = NEW.contact_id, status = NEW.status, is_walk_in = NEW.is_walk_in,
{EVENT_OF_NEW}
   WHERE invitation_id = NEW.id;
END
""",
    f"""
CREATE TRIGGER attendance_facts_event_update
AFTER UPDATE OF status, starts_at, ends_at, kind, level ON events
BEGIN
  {COPY_EVENT}
END
""",
    # SQLite does not enforce the foreign key's ON DELETE CASCADE unless asked to
    """
CREATE TRIGGER attendance_facts_invitation_delete AFTER DELETE ON invitations
BEGIN
  DELETE FROM attendance_facts WHERE invitation_id = OLD.id;
END
""",
    """
CREATE TRIGGER attendance_facts_checkin_insert AFTER INSERT ON checkins
BEGIN
  UPDATE attendance_facts SET days = days + 1 WHERE invitation_id = NEW.invitation_id;
END
""",
    """
CREATE TRIGGER attendance_facts_checkin_delete AFTER DELETE ON checkins
BEGIN
  UPDATE attendance_facts SET days = days - 1 WHERE invitation_id = OLD.invitation_id;
END
""",
    """
CREATE TRIGGER attendance_facts_checkin_update AFTER UPDATE OF invitation_id ON checkins
BEGIN
  UPDATE attendance_facts SET days = days - 1 WHERE invitation_id = OLD.invitation_id;
  UPDATE attendance_facts SET days = days + 1 WHERE invitation_id = NEW.invitation_id;
END
""",
]


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


def rollup_backfill(dialect: str) -> str:
    sums = ", ".join(f"SUM(c{i})" for i in range(10))
    values = ", ".join(
        f"{v} AS c{i}" for i, v in enumerate(_contribution(dialect, "f").split(", "))
    )
    return f"""
INSERT INTO attendance_rollup (organisation_key, month, {ROLLUP_COUNTS})
SELECT k, m, {sums} FROM (
  SELECT COALESCE(f.organisation_id, 0) AS k, {_month(dialect, "f.starts_at")} AS m, {values}
  FROM attendance_facts f WHERE {_counted("f")}
) x GROUP BY k, m
"""


def _add(dialect: str) -> str:
    updates = ", ".join(
        f"{c} = attendance_rollup.{c} + excluded.{c}" for c in ROLLUP_COUNTS.split(", ")
    )
    return f"""
    INSERT INTO attendance_rollup (organisation_key, month, {ROLLUP_COUNTS})
    VALUES (COALESCE(NEW.organisation_id, 0), {_month(dialect, "NEW.starts_at")},
            {_contribution(dialect, "NEW")})
    ON CONFLICT (organisation_key, month) DO UPDATE SET {updates};"""


def _subtract(dialect: str) -> str:
    columns = ROLLUP_COUNTS.split(", ")
    amounts = _contribution(dialect, "OLD").split(", ")
    updates = ", ".join(f"{c} = {c} - {a}" for c, a in zip(columns, amounts, strict=True))
    return f"""
    UPDATE attendance_rollup SET {updates}
     WHERE organisation_key = COALESCE(OLD.organisation_id, 0)
       AND month = {_month(dialect, "OLD.starts_at")};"""


def rollup_triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f"""
CREATE FUNCTION reports_rollup_of_fact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_counted("OLD")} THEN
    {_subtract(dialect)}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND {_counted("NEW")} THEN
    {_add(dialect)}
  END IF;
  RETURN NULL;
END $$
""",
            """
CREATE TRIGGER attendance_rollup_of_fact AFTER INSERT OR UPDATE OR DELETE
ON attendance_facts FOR EACH ROW EXECUTE FUNCTION reports_rollup_of_fact()
""",
        ]
    return [
        f"""
CREATE TRIGGER attendance_rollup_fact_insert AFTER INSERT ON attendance_facts
WHEN {_counted("NEW")}
BEGIN {_add(dialect)}
END
""",
        f"""
CREATE TRIGGER attendance_rollup_fact_update_old AFTER UPDATE ON attendance_facts
WHEN {_counted("OLD")}
BEGIN {_subtract(dialect)}
END
""",
        f"""
CREATE TRIGGER attendance_rollup_fact_update_new AFTER UPDATE ON attendance_facts
WHEN {_counted("NEW")}
BEGIN {_add(dialect)}
END
""",
        f"""
CREATE TRIGGER attendance_rollup_fact_delete AFTER DELETE ON attendance_facts
WHEN {_counted("OLD")}
BEGIN {_subtract(dialect)}
END
""",
    ]


def upgrade():
    op.create_table(
        "attendance_facts",
        sa.Column("invitation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("is_walk_in", sa.Boolean(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column(
            "starts_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("ends_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("event_status", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_attendance_facts_invitation_id_invitations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("invitation_id", name=op.f("pk_attendance_facts")),
    )
    op.create_index("ix_attendance_facts_event_id", "attendance_facts", ["event_id"])
    op.create_index("ix_attendance_facts_organisation_id", "attendance_facts", ["organisation_id"])
    attended = sa.text(ATTENDED)
    op.create_index(
        "ix_attendance_facts_attended",
        "attendance_facts",
        ["organisation_id", "contact_id", "starts_at", "kind", "level", "event_id"],
        postgresql_where=attended,
        sqlite_where=attended,
    )
    op.create_index(
        "ix_attendance_facts_people",
        "attendance_facts",
        ["organisation_id", "contact_id"],
        postgresql_where=attended,
        sqlite_where=attended,
    )
    op.create_index("ix_attendance_facts_ends_at", "attendance_facts", ["ends_at"])
    op.create_table(
        "attendance_rollup",
        sa.Column("organisation_key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in ROLLUP_COUNTS.split(", ")],
        sa.PrimaryKeyConstraint("organisation_key", "month", name=op.f("pk_attendance_rollup")),
    )
    op.add_column("report_runs", sa.Column("period", sa.String(length=7), nullable=True))
    op.create_index(
        "ix_report_runs_requested_by_period",
        "report_runs",
        ["requested_by_id", "period"],
        unique=True,
    )
    op.execute(BACKFILL)
    dialect = op.get_bind().dialect.name
    op.execute(rollup_backfill(dialect))
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)
    for statement in rollup_triggers(dialect):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS attendance_rollup_of_fact ON attendance_facts")
        op.execute("DROP FUNCTION IF EXISTS reports_rollup_of_fact()")
        op.execute("DROP TRIGGER IF EXISTS attendance_facts_of_event ON events")
        op.execute("DROP FUNCTION IF EXISTS reports_facts_of_event()")
        op.execute("DROP TRIGGER IF EXISTS attendance_facts_of_checkin ON checkins")
        op.execute("DROP TRIGGER IF EXISTS attendance_facts_of_invitation ON invitations")
        op.execute("DROP FUNCTION IF EXISTS reports_fact_of_checkin()")
        op.execute("DROP FUNCTION IF EXISTS reports_fact_of_invitation()")
    else:
        for name in (
            "attendance_facts_invitation_insert",
            "attendance_facts_invitation_update",
            "attendance_facts_invitation_delete",
            "attendance_facts_checkin_insert",
            "attendance_facts_checkin_delete",
            "attendance_facts_checkin_update",
            "attendance_facts_event_update",
            "attendance_rollup_fact_insert",
            "attendance_rollup_fact_update_old",
            "attendance_rollup_fact_update_new",
            "attendance_rollup_fact_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_report_runs_requested_by_period", table_name="report_runs")
    with op.batch_alter_table("report_runs") as batch:
        batch.drop_column("period")
    op.drop_table("attendance_rollup")
    op.drop_index("ix_attendance_facts_ends_at", table_name="attendance_facts")
    op.drop_index("ix_attendance_facts_people", table_name="attendance_facts")
    op.drop_index("ix_attendance_facts_attended", table_name="attendance_facts")
    op.drop_index("ix_attendance_facts_organisation_id", table_name="attendance_facts")
    op.drop_index("ix_attendance_facts_event_id", table_name="attendance_facts")
    op.drop_table("attendance_facts")
