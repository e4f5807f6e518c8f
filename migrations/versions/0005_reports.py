"""reports: schema changes of the reports feature (empty until it needs one)

Revision ID: 0005
Revises: 0004
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
