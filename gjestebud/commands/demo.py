"""`gjestebud demo`: seed a realistic demo campaign."""

import click

command = click.Command("demo", callback=lambda: None, help="Seed the demo campaign.")
