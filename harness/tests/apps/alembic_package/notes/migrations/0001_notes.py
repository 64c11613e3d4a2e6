"""notes, and a column only this migration makes

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("note", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("body", sa.String(length=200), nullable=False),
                    sa.Column("made_by_migration", sa.String(length=20), server_default="yes"))


def downgrade():
    op.drop_table("note")
