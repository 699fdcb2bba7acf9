"""trust: session versions, last sign-in, two-factor, last approved version

Revision ID: 7c3e9a1b5d20
Revises: 5e7f0a1b2c3d
Create Date: 2026-12-01 23:40:00

"""
from alembic import op
import sqlalchemy as sa

import campaign.dbtypes


# revision identifiers, used by Alembic.
revision = '7c3e9a1b5d20'
down_revision = '5e7f0a1b2c3d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('last_login_at', campaign.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recovery_codes', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_version', server_default=None)
        batch_op.alter_column('totp_secret', server_default=None)
        batch_op.alter_column('recovery_codes', server_default=None)
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_number', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_column('approved_number')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('recovery_codes')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('last_login_at')
        batch_op.drop_column('session_version')
