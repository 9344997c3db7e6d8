"""`gjestebud demo`: seed a realistic demo campaign."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..services import demo as demo_service
from ..services.users import UserError


@click.command("demo")
@with_appcontext
def command() -> None:
    """Seed (or refresh) the demo campaign and print how to log in and where guests go."""
    try:
        result = demo_service.seed_demo()
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Demo campaign '{result.campaign.slug}' is ready "
               f"({result.notes_created} new notes).")
    click.echo("")
    click.echo("Staff login")
    click.echo(f"  URL:      {result.login_url}")
    click.echo(f"  E-mail:   {result.email}")
    click.echo(f"  Password: {result.password}")
    click.echo("  (a new password is made every time you run `gjestebud demo`)")
    click.echo("")
    click.echo("Meals")
    for meal in result.meals:
        click.echo(f"  {meal.place} – {meal.group}")
        click.echo(f"    Guests: {meal.guest_url}")
        click.echo(f"    Host:   {meal.host_url}")
