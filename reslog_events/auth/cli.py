from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..audit.operations import record
from ..core.turkish import sort_key
from ..directory.models import Organisation, OrganisationKind
from ..directory.queries import union_by_code
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
@click.option("--union", "union_code", default=None, help="Code of the user's union (MBB…).")
def create_user_command(
    email: str, role: str, name: str, password: str | None, token: bool, union_code: str | None
) -> None:
    """Create a user with ROLE (admin, organiser, staff, coordinator), programme-wide or
    working within one union (--union)."""
    union = _union(union_code) if union_code is not None else None
    try:
        user = create_user(email, Role(role), name=name, password=password)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    if union is not None:
        user.union_id = union.id
        record("user.set_union", user, {"union": union.code}, actor="cli")
    secret = create_token(user, name="cli") if token else None
    db.session.commit()
    within = f", union {union.code}" if union is not None else ", programme-wide"
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}{within}).")
    if secret:
        click.echo("API token (shown once):")
        click.echo(secret)


def _union(code: str) -> Organisation:
    """The union whose code is `code` (any case, with or without Turkish letters), or a
    ClickException listing the unions."""
    found = union_by_code(code.strip())
    if found is not None:
        return found
    unions = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.union)
    ).all()
    known = ", ".join(sorted((u.code for u in unions if u.code), key=sort_key)) or "none"
    raise click.ClickException(f"No union has the code {code.strip()!r} (unions: {known}).")


def init_app(app) -> None:
    app.cli.add_command(users_cli)
