"""user preferences and in-app notifications

Revision ID: 3c9d2e7f4a61
Revises: 5d3e9a7c1b24
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa

import campaign.dbtypes


# revision identifiers, used by Alembic.
revision = '3c9d2e7f4a61'
down_revision = '5d3e9a7c1b24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=600), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', campaign.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', campaign.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))
    op.drop_table('notifications')
    op.drop_table('user_preferences')
