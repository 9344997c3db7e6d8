"""`gjestebud export`: data out of the app."""

import click

group = click.Group("export", help="Export data.")
