"""`flask privacy purge [--dry-run] [--months N]`: the retention purge by hand (the clock runs
it daily through the `purge_expired_answers` actor)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..core.datetimes import moment_in_zone
from ..extensions import db
from .retention import purge_expired_answers

privacy_cli = AppGroup("privacy", help="Data protection: retention purge.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be cleared; change nothing.")
@click.option(
    "--months",
    type=click.IntRange(min=0),
    default=None,
    help="Retention in months (default: RETENTION_MONTHS).",
)
def purge_command(dry_run: bool, months: int | None) -> None:
    """Clear personal answers (needs, interpretation, consents, delegation notes) of
    invitations to events that ended more than RETENTION_MONTHS months ago."""
    result = purge_expired_answers(months=months, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "Would clear" if dry_run else "Cleared"
    click.echo(
        f"{verb} the answers of {result.invitations} invitations and the notes of "
        f"{result.delegation_members} delegation members, in {result.events} events that "
        f"ended before {moment_in_zone(result.cutoff, 'UTC', locale='en')} "
        f"({result.months} months)."
    )
    click.echo(
        f"events={result.events} invitations={result.invitations} "
        f"delegation_members={result.delegation_members}"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(privacy_cli)
