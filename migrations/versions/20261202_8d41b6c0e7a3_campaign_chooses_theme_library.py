"""A campaign chooses whether its analysis starts from the organisation's theme library

Revision ID: 8d41b6c0e7a3
Revises: 3c7e1f9a2b54
Create Date: 2026-12-02 18:30:00

Off for every campaign: the library used to be applied to every analysis; now a campaign's
themes come from its own notes unless the analyst asks for the themes of earlier campaigns.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d41b6c0e7a3'
down_revision = '3c7e1f9a2b54'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("use_theme_library", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("use_theme_library")
