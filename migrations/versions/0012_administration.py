"""administration: user invitations, password resets, session versions

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "invite",
                "reset",
                name="linkpurpose",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "expires_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("used_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "expires_at > created_at", name=op.f("ck_account_links_expires_after_creation")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_account_links_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_links_token_hash")),
    )
    with op.batch_alter_table("account_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_links_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_links_user_id"))
    op.drop_table("account_links")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
