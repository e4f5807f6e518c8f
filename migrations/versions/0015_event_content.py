"""event content in several languages: venue notes and agenda session titles

- events.venue_notes: directions and access ("Entrance from the garden, 2nd floor"); its
  other languages live in events.translations beside the title and description;
- agenda_sessions.translations: a session's title in other languages ({"ar": {"title": …}}).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


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
        batch.add_column(sa.Column("venue_notes", sa.Text(), nullable=True))
    with op.batch_alter_table("agenda_sessions") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    triggers = _drop_sqlite_triggers()
    with op.batch_alter_table("agenda_sessions") as batch:
        batch.drop_column("translations")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("venue_notes")
    for statement in triggers:
        op.execute(statement)
