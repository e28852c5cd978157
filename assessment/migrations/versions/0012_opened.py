"""Responses: when the link was first opened and when it was downloaded (issue 16)

Revision ID: 0012_opened
Revises: 0011_review
Create Date: 2026-12-02 02:05:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012_opened'
down_revision = '0011_review'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('response') as batch_op:
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('downloaded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_column('downloaded_at')
        batch_op.drop_column('opened_at')
