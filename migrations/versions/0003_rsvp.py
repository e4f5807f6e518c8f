"""rsvp: schema changes of the rsvp feature (empty until it needs one)

Revision ID: 0003
Revises: 0002
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
