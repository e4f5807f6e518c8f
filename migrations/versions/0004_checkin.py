"""checkin: schema changes of the checkin feature (empty until it needs one)

Revision ID: 0004
Revises: 0003
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
