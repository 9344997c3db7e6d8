"""The theme an unassigned note resembles most, shown to the analyst as a guess

Revision ID: c3f9d8e1a7b6
Revises: b72e5a19c4d0
Create Date: 2026-12-02 19:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f9d8e1a7b6'
down_revision = 'b72e5a19c4d0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("note_theme") as batch:
        batch.add_column(sa.Column("guess_theme_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_note_theme_guess_theme_id_theme", "theme",
                                 ["guess_theme_id"], ["id"])


def downgrade():
    with op.batch_alter_table("note_theme") as batch:
        batch.drop_constraint("fk_note_theme_guess_theme_id_theme", type_="foreignkey")
        batch.drop_column("guess_theme_id")
