"""before and after the event: reminders, certificates, messages

Revision ID: 0013
Revises: 0012

The new columns of `events` and `invitations` are added with ALTER TABLE … ADD COLUMN on both
databases (never a batch rebuild): on SQLite a rebuild would drop the attendance triggers that
these two tables carry (0005).
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import reslog_events.core.columns

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_REMINDER_RANGE = "reminder_hours IS NULL OR reminder_hours BETWEEN 1 AND 720"
_POLICIES = "certificates IN ('off', 'on_request', 'emailed')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint to a table in place; a column's own CHECK it can.
        op.execute(
            "ALTER TABLE events ADD COLUMN reminder_hours INTEGER DEFAULT 24 "
            f"CONSTRAINT ck_events_reminder_hours_range CHECK ({_REMINDER_RANGE})"
        )
    else:
        op.add_column(
            "events", sa.Column("reminder_hours", sa.Integer(), nullable=True, server_default="24")
        )
        op.create_check_constraint(op.f("ck_events_reminder_hours_range"), "events", _REMINDER_RANGE)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE events ADD COLUMN certificates VARCHAR(32) NOT NULL DEFAULT 'on_request' "
            f"CONSTRAINT ck_events_certificatepolicy CHECK ({_POLICIES})"
        )
    else:
        op.add_column(
            "events",
            sa.Column(
                "certificates",
                sa.String(length=32),
                nullable=False,
                server_default="on_request",
            ),
        )
        op.create_check_constraint(op.f("ck_events_certificatepolicy"), "events", _POLICIES)
    op.add_column(
        "invitations",
        sa.Column(
            "start_reminded_for",
            reslog_events.core.columns.UTCDateTime(timezone=True),
            nullable=True,
        ),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("bound_to", sa.String(length=64), nullable=False),
        sa.Column(
            "issued_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "emailed_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_certificates_invitation_id_invitations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_certificates_invitation_id")),
    )
    op.create_table(
        "event_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum(
                "accepted",
                "attended",
                "no_show",
                "pending",
                "waitlisted",
                "declined",
                name="audience",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.JSON(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("default_language", sa.String(length=2), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.CheckConstraint(
            "recipients >= 0", name=op.f("ck_event_messages_recipients_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_messages_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["users.id"],
            name=op.f("fk_event_messages_sent_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_messages")),
    )
    op.create_index(
        op.f("ix_event_messages_event_id"), "event_messages", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_event_messages_event_id"), table_name="event_messages")
    op.drop_table("event_messages")
    op.drop_table("certificates")
    op.drop_column("invitations", "start_reminded_for")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_events_certificatepolicy"), "events", type_="check")
        op.drop_constraint(op.f("ck_events_reminder_hours_range"), "events", type_="check")
    op.drop_column("events", "certificates")
    op.drop_column("events", "reminder_hours")
