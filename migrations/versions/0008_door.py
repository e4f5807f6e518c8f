"""the door: not_attending, wrong_day, overrides, substituted status

- invitations.status may be `substituted` (sent a colleague instead);
- invitations.email_status may be null: no message was ever written to them (walk-ins);
- check-ins admitted anyway are `checkins.method = 'override'` (no schema change: a string).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen here (the app's copy is InvitationStatus / EmailStatus).
OLD_STATUSES = ("pending", "accepted", "declined", "tentative", "waitlisted", "revoked")
NEW_STATUSES = (*OLD_STATUSES, "substituted")
STATUS_CHECK = "ck_invitations_invitationstatus"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _sqlite_triggers() -> list[str]:
    """SQLite: rebuilding the table (batch mode) drops its triggers (the reports' facts):
    their definitions, to create them again afterwards."""
    if op.get_bind().dialect.name != "sqlite":
        return []
    rows = op.get_bind().execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'invitations'")
    )
    return [row[0] for row in rows]


def _restore(triggers: list[str]) -> None:
    for statement in triggers:
        op.execute(statement)


def upgrade() -> None:
    triggers = _sqlite_triggers()
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint(op.f(STATUS_CHECK), type_="check")
        batch.create_check_constraint(op.f(STATUS_CHECK), _in("status", NEW_STATUSES))
        batch.alter_column(
            "email_status",
            existing_type=sa.String(length=32),
            nullable=True,
        )
    _restore(triggers)
    # Walk-ins were marked `queued` although nothing was ever written to them.
    op.execute(
        "UPDATE invitations SET email_status = NULL WHERE is_walk_in AND NOT EXISTS "
        "(SELECT 1 FROM outgoing_emails o WHERE o.invitation_id = invitations.id)"
    )


def downgrade() -> None:
    op.execute("UPDATE invitations SET email_status = 'queued' WHERE email_status IS NULL")
    op.execute("UPDATE invitations SET status = 'declined' WHERE status = 'substituted'")
    op.execute("UPDATE checkins SET method = 'manual' WHERE method = 'override'")
    triggers = _sqlite_triggers()
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint(op.f(STATUS_CHECK), type_="check")
        batch.create_check_constraint(op.f(STATUS_CHECK), _in("status", OLD_STATUSES))
        batch.alter_column(
            "email_status",
            existing_type=sa.String(length=32),
            nullable=False,
        )
    _restore(triggers)
