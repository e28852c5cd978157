"""Organisations as tenants: the service role, unique organisation names, trainer access (issue 15)

Revision ID: 0013_tenants
Revises: 0012_opened
Create Date: 2026-12-02 05:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013_tenants'
down_revision = '0012_opened'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin', 'lead', 'trainer')"
NEW_ROLES = "role IN ('service', 'admin', 'lead', 'trainer')"
ORGANISATION_RULE = "(role = 'service') = (organisation_id IS NULL)"


def _user_account(roles: str, service: bool) -> sa.Table:
    """user_account as 0001 made it, with the role check ``roles``; with ``service``,
    organisation_id may be empty for (and only for) a service administrator."""
    checks = [sa.CheckConstraint(roles, name='ck_user_account_role')]
    if service:
        checks.append(sa.CheckConstraint(ORGANISATION_RULE, name='ck_user_account_organisation_by_role'))
    return sa.Table('user_account', sa.MetaData(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=service),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    *checks,
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name='fk_user_account_organisation_id_organisation'),
    sa.PrimaryKeyConstraint('id', name='pk_user_account'),
    sa.UniqueConstraint('email', name='uq_user_account_email'),
    sa.Index('ix_user_account_organisation_id', 'organisation_id'),
    )


def _set_user_rules(service: bool) -> None:
    """Replace user_account's role check (SQLite rebuilds the table to do it)."""
    roles = NEW_ROLES if service else OLD_ROLES
    if op.get_bind().dialect.name == "sqlite":
        # The table is rebuilt: assessment.migrate runs migrations with foreign keys off.
        with op.batch_alter_table('user_account', recreate='always',
                                  copy_from=_user_account(roles, service)):
            pass
        return
    op.drop_constraint(op.f('ck_user_account_role'), 'user_account', type_='check')
    if service:
        op.alter_column('user_account', 'organisation_id', existing_type=sa.Integer(), nullable=True)
        op.create_check_constraint('role', 'user_account', sa.text(roles))
        op.create_check_constraint('organisation_by_role', 'user_account', sa.text(ORGANISATION_RULE))
    else:
        op.drop_constraint(op.f('ck_user_account_organisation_by_role'), 'user_account', type_='check')
        op.alter_column('user_account', 'organisation_id', existing_type=sa.Integer(), nullable=False)
        op.create_check_constraint('role', 'user_account', sa.text(roles))


BACKFILL_AUDIT = (
    # Each event goes to its user's organisation, else its round's, else (one organisation
    # installed) the only one, so an admin's log shows what it showed before.
    "UPDATE audit_event SET organisation_id = (SELECT organisation_id FROM user_account"
    " WHERE user_account.id = audit_event.user_id) WHERE user_id IS NOT NULL",
    "UPDATE audit_event SET organisation_id = (SELECT organisation_id FROM assessment_round"
    " WHERE assessment_round.id = audit_event.round_id)"
    " WHERE organisation_id IS NULL AND round_id IS NOT NULL",
    "UPDATE audit_event SET organisation_id = (SELECT MIN(id) FROM organisation)"
    " WHERE organisation_id IS NULL AND (SELECT COUNT(*) FROM organisation) = 1",
)


def upgrade() -> None:
    _set_user_rules(service=True)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_organisation_id'), ['organisation_id'], unique=False)
    for statement in BACKFILL_AUDIT:
        op.execute(statement)
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_organisation_name'), ['name'])
    op.create_table('trainer_access',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_trainer_access_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_trainer_access_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'organisation_id', name=op.f('pk_trainer_access'))
    )


def downgrade() -> None:
    op.drop_table('trainer_access')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_organisation_id'))
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organisation_name'), type_='unique')
    op.execute("DELETE FROM user_account WHERE role = 'service'")
    _set_user_rules(service=False)
