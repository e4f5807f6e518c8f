"""invitations: outbox rows may be skipped on purpose, and remember the provider's delivery status

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns  # noqa: F401 - column types used below

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_STATUSES = ("queued", "sending", "sent", "failed")
NEW_STATUSES = OLD_STATUSES + ("skipped",)
DELIVERY = ("deferred", "delivered", "bounced", "dropped")


def _status_check(values):
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    # recreate="always" on SQLite (constraints cannot be altered in place); plain ALTERs elsewhere
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "delivery_status",
                sa.Enum(
                    *DELIVERY,
                    name="deliverystatus",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.drop_constraint(op.f("ck_outgoing_emails_outboxstatus"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_outgoing_emails_outboxstatus"), _status_check(NEW_STATUSES)
        )


def downgrade():
    op.execute("UPDATE outgoing_emails SET status = 'failed' WHERE status = 'skipped'")
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outgoing_emails_outboxstatus"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_outgoing_emails_outboxstatus"), _status_check(OLD_STATUSES)
        )
        batch_op.drop_constraint(op.f("ck_outgoing_emails_deliverystatus"), type_="check")
        batch_op.drop_column("delivery_status")
