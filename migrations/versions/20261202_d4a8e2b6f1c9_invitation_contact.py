"""Who hosts can ask, and by when they should answer, in the invitation e-mail

Revision ID: d4a8e2b6f1c9
Revises: c3f9d8e1a7b6
Create Date: 2026-12-02 20:15:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a8e2b6f1c9'
down_revision = 'c3f9d8e1a7b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation_settings") as batch:
        batch.add_column(sa.Column("contact_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("contact_phone", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("reply_by", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("invitation_settings") as batch:
        batch.drop_column("reply_by")
        batch.drop_column("contact_email")
        batch.drop_column("contact_phone")
        batch.drop_column("contact_name")
