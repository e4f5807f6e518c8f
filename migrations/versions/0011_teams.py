"""unions and teams: event teams (people of any union put on one event)

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('event_team_members',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_event_team_members_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_team_members_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_team_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_team_members'))
    )
    with op.batch_alter_table('event_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_team_members_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('event_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_team_members_user_id'))

    op.drop_table('event_team_members')
