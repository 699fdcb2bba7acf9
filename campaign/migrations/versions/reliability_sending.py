"""reliability: single mails sent with claims and backoff; why a distribution waits

Revision ID: 5e2c7a9b1d44
Revises: 7c3e9a1b5d20
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa

import campaign.dbtypes


revision = '5e2c7a9b1d44'
down_revision = '7c3e9a1b5d20'
branch_labels = None
depends_on = None

MAIL_TIMES = ('next_attempt_at', 'enqueued_at', 'claimed_at', 'handed_at')


def upgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        for name in MAIL_TIMES:
            batch_op.add_column(
                sa.Column(name, campaign.dbtypes.UTCDateTime(timezone=True), nullable=True)
            )
        batch_op.add_column(sa.Column('claim', sa.String(length=32), nullable=True))
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('held_since', campaign.dbtypes.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('pause_reason', sa.String(length=500), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('failures_in_row', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.drop_column('failures_in_row')
        batch_op.drop_column('pause_reason')
        batch_op.drop_column('held_since')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('claim')
        for name in reversed(MAIL_TIMES):
            batch_op.drop_column(name)
