from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from .models import Role
from .operations import UserError, create_token, create_user

users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default="", help="Display name.")
@click.option("--password", default=None, help="Password for the web login.")
@click.option("--token", is_flag=True, help="Also create an API token and print it last.")
def create_user_command(
    email: str, role: str, name: str, password: str | None, token: bool
) -> None:
    """Create a user with ROLE (admin, organiser, staff, coordinator)."""
    try:
        user = create_user(email, Role(role), name=name, password=password)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    secret = create_token(user, name="cli") if token else None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")
    if secret:
        click.echo("API token (shown once):")
        click.echo(secret)


def init_app(app) -> None:
    app.cli.add_command(users_cli)
