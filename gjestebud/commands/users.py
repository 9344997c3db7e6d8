"""`gjestebud users`: staff accounts."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Role
from ..services import users as user_service


@click.group("users", help="Manage staff accounts.")
def group() -> None:
    """Manage staff accounts."""


@group.command("create")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="The organisation's slug.")
@click.option("--org-name", help="Create the organisation with this name if it does not exist.")
@click.option("--name", default="", help="The person's name, shown in the staff pages.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.COORDINATOR.value,
    show_default=True,
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create(
    email: str, org_slug: str, org_name: str | None, name: str, role: str, password_stdin: bool
) -> None:
    """Create a staff account; the password is asked for twice (hidden) unless piped in."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        org = user_service.get_or_create_organisation(org_slug, org_name)
        user = user_service.create_user(org, email, password, name=name, role=role)
    except user_service.UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} in {org.name} ({org.slug}).")
