"""Two-factor secrets encrypted at rest

Revision ID: 3c7e1f9a2b54
Revises: f020339d69f2
Create Date: 2026-12-02 15:30:00

The columns grow to hold Fernet tokens, and every secret stored in plain text is encrypted
with the newest key of GJESTEBUD_TOTP_KEYS (or the key derived from the secret key).
"""
from alembic import op
import sqlalchemy as sa

from gjestebud import encryption


# revision identifiers, used by Alembic.
revision = '3c7e1f9a2b54'
down_revision = 'f020339d69f2'
branch_labels = None
depends_on = None

COLUMNS = ("secret", "pending_secret")
credentials = sa.table("totp_credential", sa.column("id"), sa.column("secret"),
                       sa.column("pending_secret"))


def _convert(change) -> None:
    connection = op.get_bind()
    for row in connection.execute(sa.select(credentials)).all():
        values = {}
        for name in COLUMNS:
            value = getattr(row, name)
            if value:
                values[name] = change(value)
        if values:
            connection.execute(
                sa.update(credentials).where(credentials.c.id == row.id).values(**values)
            )


def upgrade():
    with op.batch_alter_table('totp_credential', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.String(length=64),
                                  type_=sa.String(length=255), existing_nullable=True)
    _convert(lambda value: value if encryption.is_encrypted(value)
             else encryption.encrypt(value))


def downgrade():
    _convert(lambda value: encryption.decrypt(value) if encryption.is_encrypted(value)
             else value)
    with op.batch_alter_table('totp_credential', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.String(length=255),
                                  type_=sa.String(length=64), existing_nullable=True)
