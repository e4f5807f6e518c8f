"""recurring series of events (a monthly roundtable)

- event_series: the rule of a series (weekly or monthly on the n-th weekday, until a day or for
  a number of events), who made it, and when its remaining events were cancelled;
- events.series_id: the series an event is one occurrence of.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

import reslog_events.core.columns

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

SERIES_FK = "fk_events_series_id_event_series"
SERIES_INDEX = "ix_events_series_id"


def _drop_sqlite_triggers() -> list[str]:
    """SQLite: rebuilding `events` (batch mode) drops its triggers and breaks those of other
    tables that name it (the reports' facts): all are dropped first and their definitions
    returned, to create them again afterwards (as in 0014)."""
    if op.get_bind().dialect.name != "sqlite":
        return []
    rows = list(
        op.get_bind().execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    )
    for name, _sql in rows:
        op.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in rows]


def upgrade() -> None:
    op.create_table(
        "event_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum(
                "weekly",
                "monthly",
                name="frequency",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("week_of_month", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("occurrences", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "cancelled_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "interval BETWEEN 1 AND 52", name=op.f("ck_event_series_interval_range")
        ),
        sa.CheckConstraint(
            "week_of_month IS NULL OR week_of_month BETWEEN -1 AND 4 AND week_of_month != 0",
            name=op.f("ck_event_series_week_of_month_range"),
        ),
        sa.CheckConstraint(
            "weekday IS NULL OR weekday BETWEEN 0 AND 6", name=op.f("ck_event_series_weekday_range")
        ),
        sa.CheckConstraint(
            "occurrences IS NULL OR occurrences >= 1",
            name=op.f("ck_event_series_occurrences_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_event_series_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_series")),
    )
    triggers = _drop_sqlite_triggers()
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            SERIES_FK, "event_series", ["series_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(SERIES_INDEX, ["series_id"], unique=False)
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    triggers = _drop_sqlite_triggers()
    with op.batch_alter_table("events") as batch:
        batch.drop_index(SERIES_INDEX)
        batch.drop_constraint(SERIES_FK, type_="foreignkey")
        batch.drop_column("series_id")
    for statement in triggers:
        op.execute(statement)
    op.drop_table("event_series")
