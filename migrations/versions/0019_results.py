"""results: targets per indicator and period, the pilot list of organisations

Revision ID: 0019
Revises: 0018

Two new tables only: nothing that carries the attendance triggers is touched, so SQLite needs
no batch rebuild.
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "result_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("target", sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_result_targets_period_in_order")
        ),
        sa.CheckConstraint("target >= 0", name=op.f("ck_result_targets_target_non_negative")),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["users.id"],
            name=op.f("fk_result_targets_set_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_targets")),
        sa.UniqueConstraint(
            "indicator",
            "period_start",
            "period_end",
            name=op.f("uq_result_targets_indicator_period_start_period_end"),
        ),
    )
    op.create_table(
        "result_pilot_organisations",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "added_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
            name=op.f("fk_result_pilot_organisations_added_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_result_pilot_organisations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_result_pilot_organisations")),
    )


def downgrade() -> None:
    op.drop_table("result_pilot_organisations")
    op.drop_table("result_targets")
