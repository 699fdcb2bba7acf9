"""send: compose fields on distributions, chosen targets and cover message on deliveries,
bounce source on suppressions

Revision ID: 9c4e2a7b1d60
Revises: 5e2c7a9b1d44
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c4e2a7b1d60'
down_revision = '5e2c7a9b1d44'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pitch', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(
            sa.Column('sender_name', sa.String(length=200), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column(
                'greeting_style',
                sa.Enum('full_name', 'first_name', 'none', name='greetingstyle', native_enum=False, length=20),
                nullable=False,
                server_default='full_name',
            )
        )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('cover_message', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('suppressed_addresses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                'source',
                sa.Enum('smtp', 'bounce', 'complaint', 'manual', 'import', name='suppressionsource', native_enum=False, length=20),
                nullable=False,
                server_default='smtp',
            )
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_suppressed_addresses_recipient_id_distribution_recipients'),
            'distribution_recipients', ['recipient_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('suppressed_addresses', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_suppressed_addresses_recipient_id_distribution_recipients'),
            type_='foreignkey',
        )
        batch_op.drop_column('source')
        batch_op.drop_column('recipient_id')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('cover_message')
        batch_op.drop_column('target_ids')
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.drop_column('greeting_style')
        batch_op.drop_column('sender_name')
        batch_op.drop_column('pitch')
