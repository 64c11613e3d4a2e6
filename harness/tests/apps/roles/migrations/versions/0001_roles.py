"""roles

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
    op.create_table("role", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("name", sa.String(length=40), nullable=False, unique=True))


def downgrade():
    op.drop_table("role")
