"""event content in several languages; sending a colleague instead

- events.translations: the title and description in other languages ({"ar": {...}});
- events.substitutes_need_approval: a colleague sent instead is invited once approved;
- invitations.substitute_for_id: the invitation of the person this colleague replaces;
- invitations.awaiting_approval: the colleague's invitation waits for an organiser.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SUBSTITUTE_FK = "fk_invitations_substitute_for_id_invitations"
SUBSTITUTE_UNIQUE = "uq_invitations_substitute_for_id"


def _drop_sqlite_triggers() -> list[str]:
    """SQLite: rebuilding a table (batch mode) drops its triggers and breaks those of other
    tables that name it (the reports' facts): all are dropped first and their definitions
    returned, to create them again afterwards."""
    if op.get_bind().dialect.name != "sqlite":
        return []
    rows = list(
        op.get_bind().execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    )
    for name, _sql in rows:
        op.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in rows]


def upgrade() -> None:
    triggers = _drop_sqlite_triggers()
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(
            sa.Column(
                "substitutes_need_approval",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("substitute_for_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("awaiting_approval", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_foreign_key(
            SUBSTITUTE_FK, "invitations", ["substitute_for_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_unique_constraint(SUBSTITUTE_UNIQUE, ["substitute_for_id"])
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    triggers = _drop_sqlite_triggers()
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint(SUBSTITUTE_UNIQUE, type_="unique")
        batch.drop_constraint(SUBSTITUTE_FK, type_="foreignkey")
        batch.drop_column("awaiting_approval")
        batch.drop_column("substitute_for_id")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("substitutes_need_approval")
        batch.drop_column("translations")
    for statement in triggers:
        op.execute(statement)
