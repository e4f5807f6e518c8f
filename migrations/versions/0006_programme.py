"""programme: agenda sessions, itinerary sites, delegation members, session choices and the
per-event programme settings (session choice allowed, delegation note)

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agenda_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('room_or_site', sa.String(length=200), nullable=True),
    sa.Column('speakers', sa.String(length=500), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('interpretation', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_agenda_sessions_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_agenda_sessions_ends_after_start')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_agenda_sessions_sequence_non_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_agenda_sessions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_sessions')),
    sa.UniqueConstraint('uid', name=op.f('uq_agenda_sessions_uid'))
    )
    with op.batch_alter_table('agenda_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_sessions_event_starts_at', ['event_id', 'starts_at'], unique=False)

    op.create_table('event_programmes',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('allow_session_choice', sa.Boolean(), nullable=False),
    sa.Column('delegation_note', sa.Text(), nullable=False),
    sa.Column('updated_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_programmes_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_programmes'))
    )
    op.create_table('itinerary_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('host_organisation_id', sa.Integer(), nullable=True),
    sa.Column('host_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('updated_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_itinerary_sites_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_organisation_id'], ['organisations.id'], name=op.f('fk_itinerary_sites_host_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerary_sites'))
    )
    with op.batch_alter_table('itinerary_sites', schema=None) as batch_op:
        batch_op.create_index('ix_itinerary_sites_event_day', ['event_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerary_sites_host_organisation_id'), ['host_organisation_id'], unique=False)

    op.create_table('delegation_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('arrives_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('departs_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('travel_details', sa.String(length=500), nullable=True),
    sa.Column('visa_notes', sa.String(length=1000), nullable=True),
    sa.Column('accommodation_notes', sa.String(length=1000), nullable=True),
    sa.Column('sent_entries', sa.JSON(), nullable=False),
    sa.Column('itinerary_sent_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('departs_at IS NULL OR arrives_at IS NULL OR departs_at > arrives_at', name=op.f('ck_delegation_members_departs_after_arrival')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_delegation_members_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegation_members')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_delegation_members_invitation_id'))
    )
    op.create_table('session_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('created_at', reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_session_choices_invitation_id_invitations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], name=op.f('fk_session_choices_session_id_agenda_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_choices')),
    sa.UniqueConstraint('invitation_id', 'session_id', name=op.f('uq_session_choices_invitation_id_session_id'))
    )
    with op.batch_alter_table('session_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_choices_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_choices_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('session_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_choices_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_choices_invitation_id'))

    op.drop_table('session_choices')
    op.drop_table('delegation_members')
    with op.batch_alter_table('itinerary_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerary_sites_host_organisation_id'))
        batch_op.drop_index('ix_itinerary_sites_event_day')

    op.drop_table('itinerary_sites')
    op.drop_table('event_programmes')
    with op.batch_alter_table('agenda_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_sessions_event_starts_at')

    op.drop_table('agenda_sessions')
