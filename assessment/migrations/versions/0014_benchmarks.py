"""Peer benchmarks: benchmark groups and the rounds contributed to them (issue 15)

Revision ID: 0014_benchmarks
Revises: 0013_tenants
Create Date: 2026-12-02 04:55:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014_benchmarks'
down_revision = '0013_tenants'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'benchmark_group',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_cy', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_group')),
        sa.UniqueConstraint('name', name=op.f('uq_benchmark_group_name')),
    )
    op.create_table(
        'benchmark_contribution',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.String(length=100), nullable=False),
        sa.Column('bank_version', sa.String(length=50), nullable=False),
        sa.Column('dimension_scores', sa.JSON(), nullable=False),
        sa.Column('question_scores', sa.JSON(), nullable=False),
        sa.Column('contributed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['benchmark_group.id'], ondelete='CASCADE',
                                name=op.f('fk_benchmark_contribution_group_id_benchmark_group')),
        sa.ForeignKeyConstraint(['round_id'], ['assessment_round.id'], ondelete='CASCADE',
                                name=op.f('fk_benchmark_contribution_round_id_assessment_round')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_benchmark_contribution_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_contribution')),
        sa.UniqueConstraint('group_id', 'round_id',
                            name=op.f('uq_benchmark_contribution_group_id_round_id')),
    )
    with op.batch_alter_table('benchmark_contribution') as batch_op:
        batch_op.create_index(batch_op.f('ix_benchmark_contribution_group_id'), ['group_id'])
        batch_op.create_index(batch_op.f('ix_benchmark_contribution_round_id'), ['round_id'])
        batch_op.create_index(batch_op.f('ix_benchmark_contribution_organisation_id'),
                              ['organisation_id'])


def downgrade() -> None:
    op.drop_table('benchmark_contribution')
    op.drop_table('benchmark_group')
