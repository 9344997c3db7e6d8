"""`gjestebud users`: staff accounts."""

import click

group = click.Group("users", help="Manage staff accounts.")
