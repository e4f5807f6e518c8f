"""reports: repeat participants, refused scans

Partial indexes for the report of the door's refusals: the scans refused as `wrong_day` or
`not_attending`, and the check-ins admitted by override, per event, without reading every
scan and check-in of the period. (Repeat participants need no schema: they are read from
`attendance_presence` and `attendance_facts`.)

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

REFUSED = "result IN ('wrong_day', 'not_attending')"
OVERRIDE = "method = 'override'"


def upgrade() -> None:
    op.create_index(
        "ix_scan_log_refused",
        "scan_log",
        ["event_id", "result"],
        postgresql_where=sa.text(REFUSED),
        sqlite_where=sa.text(REFUSED),
    )
    op.create_index(
        "ix_checkins_overrides",
        "checkins",
        ["event_id"],
        postgresql_where=sa.text(OVERRIDE),
        sqlite_where=sa.text(OVERRIDE),
    )


def downgrade() -> None:
    op.drop_index("ix_checkins_overrides", table_name="checkins")
    op.drop_index("ix_scan_log_refused", table_name="scan_log")
