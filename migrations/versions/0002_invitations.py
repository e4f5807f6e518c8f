"""invitations: schema changes of the invitations feature (empty until it needs one)

Revision ID: 0002
Revises: 0001
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
