"""`gjestebud totp`: the keys that encrypt two-factor secrets in the database."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from .. import encryption
from ..extensions import db


@click.group("totp", help="Keys for the two-factor secrets stored in the database.")
def group() -> None:
    """Keys for the two-factor secrets stored in the database."""


@group.command("new-key")
def new_key() -> None:
    """Print a new key to put first in GJESTEBUD_TOTP_KEYS."""
    click.echo(encryption.new_key())


@group.command("rotate-key")
@with_appcontext
def rotate_key() -> None:
    """Encrypt every stored two-factor secret again with the first key of GJESTEBUD_TOTP_KEYS."""
    table = sa.table("totp_credential", sa.column("id"), sa.column("secret"),
                     sa.column("pending_secret"))
    rotated = unreadable = 0
    for row in db.session.execute(sa.select(table)).all():
        values = {}
        for name in ("secret", "pending_secret"):
            stored = getattr(row, name)
            if not stored:
                continue
            if encryption.decrypt(stored) == encryption.UNREADABLE:
                unreadable += 1
                continue
            values[name] = encryption.rotate(stored)
        if values:
            db.session.execute(sa.update(table).where(table.c.id == row.id).values(**values))
            rotated += 1
    db.session.commit()
    click.echo(f"Encrypted again with the newest key: {rotated} accounts.")
    if unreadable:
        click.echo(f"{unreadable} secrets could not be opened with any key; they were left as "
                   "they are.", err=True)
        raise SystemExit(1)
