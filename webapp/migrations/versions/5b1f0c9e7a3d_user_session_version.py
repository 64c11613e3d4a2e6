"""user.session_version: raising it revokes sessions, remember cookies and tokens

Revision ID: 5b1f0c9e7a3d
Revises: 2787d461edbd
Create Date: 2026-11-26 05:12:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1f0c9e7a3d'
down_revision = '2787d461edbd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
