"""`gjestebud export`: data out of the app."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from ..services import export as export_service
from ..services.campaigns import campaign_by_slug


@click.group("export", help="Export data.")
def group() -> None:
    """Export data."""


@group.command("notes")
@click.argument("campaign_slug")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file."
)
@with_appcontext
def notes(campaign_slug: str, fmt: str, out: str | None) -> None:
    """Write a campaign's notes as the analysis input CSV (to standard output unless --out)."""
    campaign = campaign_by_slug(campaign_slug)
    if campaign is None:
        raise click.ClickException(f"No campaign with the slug '{campaign_slug}'.")
    if out:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            count = export_service.write_notes_csv(campaign, stream)
        click.echo(f"Wrote {count} notes to {out}.", err=True)
    else:
        export_service.write_notes_csv(campaign, _utf8_stdout())


def _utf8_stdout():
    """Standard output as UTF-8 whatever the locale says: the CSV contract is UTF-8."""
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    return stream
