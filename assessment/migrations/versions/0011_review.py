"""The review loop: a challenge's state and the respondent's reply

Revision ID: 0011_review
Revises: 0010_round_mail
Create Date: 2026-12-02 01:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011_review'
down_revision = '0010_round_mail'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('challenge_state', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('challenge_reply', sa.Text(), nullable=True))
    # Challenges made before the loop existed await their respondent.
    op.execute("UPDATE answer SET challenge_state = 'open' WHERE challenged")


def downgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('challenge_reply')
        batch_op.drop_column('challenge_state')
