"""The `gjestebud` command: Flask's commands plus ours (demo, users, export, totp keys, worker)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """Manage a Gjestebud installation."""


def init_app(app: Flask) -> None:
    from .commands import demo, export, mail, totp, users, worker

    for command in (demo.command, export.group, mail.group, totp.group, users.group,
                    worker.command):
        app.cli.add_command(command)
