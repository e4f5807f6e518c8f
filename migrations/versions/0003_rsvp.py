"""rsvp: needs ticked from fixed lists (diet, access), for the venue's counts

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("diet_choices", sa.JSON(), server_default="[]", nullable=False)
        )
        batch_op.add_column(
            sa.Column("access_choices", sa.JSON(), server_default="[]", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("access_choices")
        batch_op.drop_column("diet_choices")
