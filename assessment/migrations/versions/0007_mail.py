"""Mail: recipients of invitations and reminders, each message's state, and the send job

Revision ID: 0007_mail
Revises: 0006_uploads
Create Date: 2026-12-02 00:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_mail'
down_revision = '0006_uploads'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('export_xlsx', 'import', 'import_check')"
NEW_KINDS = "kind IN ('export_xlsx', 'import', 'import_check', 'send_mail')"


def _set_job_kinds(check: str) -> None:
    """Replace the background_job kind check (SQLite rebuilds the table to do it)."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('background_job', recreate='always',
                                  copy_from=_background_job(check)):
            pass
        return
    op.drop_constraint(op.f('ck_background_job_kind'), 'background_job', type_='check')
    op.create_check_constraint('kind', 'background_job', sa.text(check))


def _background_job(check: str) -> sa.Table:
    """background_job as 0004 made it, with the kind check ``check``."""
    return sa.Table('background_job', sa.MetaData(),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('file_name', sa.String(length=300), nullable=True),
    sa.Column('file_data', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(check, name='ck_background_job_kind'),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name='ck_background_job_status'),
    sa.ForeignKeyConstraint(['round_id'], ['assessment_round.id'], name='fk_background_job_round_id_assessment_round', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name='fk_background_job_user_id_user_account', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name='pk_background_job'),
    sa.Index('ix_background_job_expires_at', 'expires_at'),
    sa.Index('ix_background_job_user_id', 'user_id'),
    )


def upgrade() -> None:
    _set_job_kinds(NEW_KINDS)
    op.create_table('mail_recipient',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=4), nullable=False),
    sa.Column('link_seed', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('en', 'cy', 'both')", name=op.f('ck_mail_recipient_language')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_mail_recipient_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_mail_recipient'))
    )
    op.create_table('mail_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=4), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('invitation', 'reminder')", name=op.f('ck_mail_message_kind')),
    sa.CheckConstraint("language IN ('en', 'cy', 'both')", name=op.f('ck_mail_message_language')),
    sa.CheckConstraint("state IN ('queued', 'sent', 'failed', 'bounced')", name=op.f('ck_mail_message_state')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_mail_message_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_message'))
    )
    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_message_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_message_response_id'), ['response_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_message_response_id'))
        batch_op.drop_index(batch_op.f('ix_mail_message_job_id'))
    op.drop_table('mail_message')
    op.drop_table('mail_recipient')
    op.execute("DELETE FROM background_job WHERE kind = 'send_mail'")
    _set_job_kinds(OLD_KINDS)
