"""A Norwegian rendering of a note written in a language the analysis cannot read

Revision ID: b72e5a19c4d0
Revises: 8d41b6c0e7a3
Create Date: 2026-12-02 19:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b72e5a19c4d0'
down_revision = '8d41b6c0e7a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("note") as batch:
        batch.add_column(sa.Column("rendering", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("note") as batch:
        batch.drop_column("rendering")
