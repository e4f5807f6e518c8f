"""`flask outbox …`: look at the outbox and nudge it from the command line.

flask --app reslog_events outbox status     # rows by status
flask --app reslog_events outbox sweep      # hand overdue rows to the workers now
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from ..extensions import db
from .models import OutgoingEmail

outbox_cli = AppGroup("outbox", help="The outgoing email queue.")


@outbox_cli.command("status")
def status() -> None:
    """Rows of the outbox by status."""
    rows = db.session.execute(
        sa.select(OutgoingEmail.status, sa.func.count()).group_by(OutgoingEmail.status)
    ).all()
    for value, count in sorted(rows, key=lambda r: r[0].value):
        click.echo(f"{value.value:8} {count}")


@outbox_cli.command("sweep")
@click.option("--all", "everything", is_flag=True, help="Also rows queued only just now.")
def sweep_command(everything: bool) -> None:
    """Re-enqueue rows whose message seems lost (see docs/delivery.md)."""
    from .sweep import sweep

    click.echo(f"re-enqueued {sweep(older_than=0 if everything else None)} rows")


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
