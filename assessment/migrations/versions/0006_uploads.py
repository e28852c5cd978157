"""Staged uploads: import files waiting for confirmation, in the database; the import check job

Revision ID: 0006_uploads
Revises: 0005_results_store
Create Date: 2026-12-02 00:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0006_uploads'
down_revision = '0005_results_store'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staged_upload',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('file_data', sa.LargeBinary(), nullable=False),
    sa.Column('job_id', sa.String(length=32), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['assessment_round.id'], name=op.f('fk_staged_upload_round_id_assessment_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_staged_upload_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staged_upload'))
    )
    with op.batch_alter_table('staged_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staged_upload_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staged_upload_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_background_job_kind'), type_='check')
        batch_op.create_check_constraint(
            'kind', "kind IN ('export_xlsx', 'import', 'import_check')")


def downgrade() -> None:
    op.execute("DELETE FROM background_job WHERE kind = 'import_check'")
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_background_job_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('export_xlsx', 'import')")
    with op.batch_alter_table('staged_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staged_upload_user_id'))
        batch_op.drop_index(batch_op.f('ix_staged_upload_expires_at'))
    op.drop_table('staged_upload')
