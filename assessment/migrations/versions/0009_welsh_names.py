"""Welsh names: an optional Welsh name for the organisation, rounds, departments and directorates

Revision ID: 0009_welsh_names
Revises: 0008_setup
Create Date: 2026-12-02 01:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_welsh_names'
down_revision = '0008_setup'
branch_labels = None
depends_on = None

COLUMNS = (
    ('organisation', 'name_cy'),
    ('assessment_round', 'name_cy'),
    ('department', 'name_cy'),
    ('department', 'directorate_cy'),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.String(length=200), nullable=True))


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
