"""Demonstration rounds are marked, so they can be told apart and removed

Revision ID: 0008_setup
Revises: 0007_mail
Create Date: 2026-12-02 01:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_setup'
down_revision = '0007_mail'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessment_round', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Rounds the demo made before this flag existed: its two round names and two
    # of its made-up respondents, a pattern real work does not produce.
    op.execute(
        "UPDATE assessment_round SET is_demo = TRUE "
        "WHERE name IN ('2026 baseline', '2025 baseline') "
        "AND id IN (SELECT round_id FROM response WHERE respondent = 'Housing deputy') "
        "AND id IN (SELECT round_id FROM response WHERE respondent = 'Waste and Recycling deputy')"
    )

def downgrade() -> None:
    with op.batch_alter_table('assessment_round', schema=None) as batch_op:
        batch_op.drop_column('is_demo')
