"""programme: schema changes of the programme feature (empty until it needs one)

Revision ID: 0006
Revises: 0005
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
