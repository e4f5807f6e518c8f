"""Command-line administration: `users deactivate|reactivate|set-role|list`, `tokens list|revoke`.
Added to the `users` group of auth.cli (where `users create` lives)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..auth.cli import users_cli
from ..auth.models import ApiToken, Role, User
from ..core.routing import parse_id
from ..core.turkish import email_lower
from ..directory.queries import union_by_code
from ..extensions import db
from . import operations
from .operations import AdminError

tokens_cli = AppGroup("tokens", help="Manage API tokens.")


def _user(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email_lower(email)))
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    return user


def _done(changed: bool, done: str, already: str) -> None:
    db.session.commit()
    click.echo(done if changed else already)


@click.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate a user: their API tokens and every browser session stop working."""
    user = _user(email)
    changed = operations.deactivate_user(user, by=None)
    _done(changed, f"Deactivated {user.email}.", f"{user.email} was inactive already.")


@click.command("reactivate")
@click.argument("email")
def reactivate_command(email: str) -> None:
    """Let a deactivated user log in again (old sessions stay ended)."""
    user = _user(email)
    changed = operations.reactivate_user(user, by=None)
    _done(changed, f"Reactivated {user.email}.", f"{user.email} was active already.")


@click.command("set-role")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--union", "union_code", default=None, help="Code of the union (e.g. MBB).")
@click.option("--programme-wide", is_flag=True, help="Take the user out of their union.")
def set_role_command(email: str, role: str, union_code: str | None, programme_wide: bool) -> None:
    """Give a user another role (and union). Without --union or --programme-wide the union
    stays as it is."""
    if union_code and programme_wide:
        raise click.ClickException("Give either --union or --programme-wide.")
    user = _user(email)
    union_id = user.union_id
    if union_code:
        union = union_by_code(union_code)
        if union is None:
            raise click.ClickException(f"No union with the code {union_code}.")
        union_id = union.id
    elif programme_wide:
        union_id = None
    try:
        changed = operations.set_role(user, Role(role), union_id, by=None)
    except AdminError as exc:
        raise click.ClickException(exc.message) from None
    where = f" in {union_code.upper()}" if union_code else ""
    _done(changed, f"{user.email} is now {role}{where}.", f"{user.email} was {role} already.")


@click.command("list")
def list_command() -> None:
    """Every user: id, email, role, union, active."""
    rows = db.session.execute(
        sa.select(User.id, User.email, User.role, User.active, User.union_id).order_by(User.email)
    ).all()
    codes = dict(db.session.execute(_union_codes()).all())
    click.echo(f"{'id':>6}  {'email':<40} {'role':<12} {'union':<8} active")
    for ident, email, role, active, union_id in rows:
        union = codes.get(union_id, "") if union_id else "-"
        click.echo(
            f"{ident:>6}  {email:<40} {role.value:<12} {union:<8} {'yes' if active else 'no'}"
        )


def _union_codes() -> sa.Select:
    from ..directory.models import Organisation

    return sa.select(Organisation.id, sa.func.coalesce(Organisation.code, Organisation.name))


@tokens_cli.command("list")
@click.argument("email", required=False)
def list_tokens_command(email: str | None) -> None:
    """API tokens (all, or one user's): id, prefix, user, name, state."""
    stmt = sa.select(ApiToken, User.email).join(User).order_by(ApiToken.id)
    if email:
        stmt = stmt.where(User.id == _user(email).id)
    for token, owner in db.session.execute(stmt).all():
        state = "revoked" if token.revoked_at else "active"
        click.echo(f"{token.id:>6}  {token.prefix:<12} {owner:<40} {token.name:<20} {state}")


@tokens_cli.command("revoke")
@click.argument("token_ref")
def revoke_token_command(token_ref: str) -> None:
    """Revoke an API token, named by its id or by the start of it (as `tokens list` shows)."""
    ident = parse_id(token_ref)
    if ident is not None:
        matches = [t for t in [db.session.get(ApiToken, ident)] if t is not None]
    else:
        prefix = token_ref.strip()[:10]  # the stored prefix: a whole token matches too
        if len(prefix) < 6:
            raise click.ClickException("Give the token's id or at least its first 6 characters.")
        matches = db.session.scalars(
            sa.select(ApiToken).where(ApiToken.prefix.startswith(prefix, autoescape=True))
        ).all()
    if not matches:
        raise click.ClickException(f"No token {token_ref}.")
    if len(matches) > 1:
        ids = ", ".join(str(t.id) for t in matches)
        raise click.ClickException(f"{len(matches)} tokens start so (ids {ids}); give the id.")
    token = matches[0]
    changed = operations.revoke_token(token, by=None)
    _done(changed, f"Revoked token {token.id} ({token.prefix}…).", "It was revoked already.")


def init_app(app) -> None:
    for command in (deactivate_command, reactivate_command, set_role_command, list_command):
        users_cli.add_command(command)
    app.cli.add_command(tokens_cli)
