"""entries

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
    op.create_table("entry", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("body", sa.String(length=200), nullable=False))


def downgrade():
    op.drop_table("entry")
