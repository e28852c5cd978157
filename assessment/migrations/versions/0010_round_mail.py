"""Rounds: an optional purpose and closing date, for respondents and emails (issue 16)

Revision ID: 0010_round_mail
Revises: 0009_welsh_names
Create Date: 2026-12-02 01:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_round_mail'
down_revision = '0009_welsh_names'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessment_round') as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('closing_date', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('assessment_round') as batch_op:
        batch_op.drop_column('closing_date')
        batch_op.drop_column('purpose')
