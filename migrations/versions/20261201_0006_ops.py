"""ops: audit hash chain, ops runs, purge tombstones, step timings

Revision ID: 0006_ops
Revises: 0006_sandbox
Create Date: 2026-12-01 19:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime
from app.ops.audit_chain import GENESIS, event_hash

revision: str = '0006_ops'
down_revision: str | None = '0006_sandbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('head_sha256', sa.String(length=64), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )
    op.create_table('ops_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('backup', 'integrity', 'purge', 'mail', name='ops_kind', native_enum=False, length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ops_runs'))
    )
    with op.batch_alter_table('ops_runs', schema=None) as batch_op:
        batch_op.create_index('ix_ops_runs_kind_id', ['kind', 'id'], unique=False)
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('step_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconds', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('model_questions', sa.Integer(), nullable=True))

    _without_audit_triggers(_add_chain_columns)
    _keep_documents_for_their_period()


#: § 147 AO: originals are kept 8 years after the end of the year they were received.
RETENTION_MESSAGE = 'documents: inside the statutory retention period (8 years, § 147 AO)'


def _keep_documents_for_their_period() -> None:
    # The database refuses to delete or blank an original inside its period; the purge keeps a tombstone.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'''
            CREATE FUNCTION documents_retention() RETURNS trigger AS $$
            BEGIN
              IF EXTRACT(YEAR FROM now() AT TIME ZONE 'UTC')
                 <= EXTRACT(YEAR FROM OLD.received_at AT TIME ZONE 'UTC') + 8 THEN
                RAISE EXCEPTION '{RETENTION_MESSAGE}';
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
        ''')
        op.execute('CREATE TRIGGER documents_retention BEFORE DELETE OR UPDATE OF content ON documents '
                   'FOR EACH ROW EXECUTE FUNCTION documents_retention()')
        return
    inside = ("CAST(strftime('%Y', 'now') AS INTEGER) <= CAST(strftime('%Y', OLD.received_at) AS INTEGER) + 8")
    for name, event in (('delete', 'DELETE'), ('blank', 'UPDATE OF content')):
        op.execute(f'CREATE TRIGGER documents_retention_{name} BEFORE {event} ON documents '
                   f"WHEN {inside} BEGIN SELECT RAISE(ABORT, '{RETENTION_MESSAGE}'); END")


def _drop_retention_triggers() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS documents_retention ON documents')
        op.execute('DROP FUNCTION IF EXISTS documents_retention()')
    else:
        op.execute('DROP TRIGGER IF EXISTS documents_retention_delete')
        op.execute('DROP TRIGGER IF EXISTS documents_retention_blank')


def _without_audit_triggers(change) -> None:  # type: ignore[no-untyped-def]
    # The append-only triggers refuse the backfill; they are back before the migration commits.
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('ALTER TABLE audit_events DISABLE TRIGGER USER')
        change()
        op.execute('ALTER TABLE audit_events ENABLE TRIGGER USER')
        return
    triggers = bind.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
    ).all()
    for name, _sql in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    change()
    for _name, sql in triggers:
        op.execute(sql)


def _add_chain_columns() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sha256', sa.String(length=64), nullable=True))
    head, length = _backfill_chain()
    op.get_bind().execute(
        sa.text('INSERT INTO audit_chain (id, head_sha256, length) VALUES (1, :head, :length)'),
        {'head': head, 'length': length},
    )


def _backfill_chain() -> tuple[str, int]:
    """Chain the rows written before this migration, oldest first."""
    events = sa.table(
        'audit_events',
        sa.column('id', sa.Integer()), sa.column('at', UTCDateTime()), sa.column('actor', sa.String()),
        sa.column('action', sa.String()), sa.column('document_id', sa.Integer()),
        sa.column('before', sa.JSON()), sa.column('after', sa.JSON()),
        sa.column('prev_sha256', sa.String()), sa.column('sha256', sa.String()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(events).order_by(events.c.id)).all()
    head = GENESIS
    for row in rows:
        digest = event_hash(head, at=row.at, actor=row.actor, action=row.action,
                            document_id=row.document_id, before=row.before, after=row.after)
        bind.execute(events.update().where(events.c.id == row.id).values(prev_sha256=head, sha256=digest))
        head = digest
    return head, len(rows)


def downgrade() -> None:
    _drop_retention_triggers()
    def drop_chain_columns() -> None:
        with op.batch_alter_table('audit_events', schema=None) as batch_op:
            batch_op.drop_column('sha256')
            batch_op.drop_column('prev_sha256')

    _without_audit_triggers(drop_chain_columns)
    with op.batch_alter_table('step_results', schema=None) as batch_op:
        batch_op.drop_column('model_questions')
        batch_op.drop_column('seconds')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
    with op.batch_alter_table('ops_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_ops_runs_kind_id')
    op.drop_table('ops_runs')
    op.drop_table('audit_chain')
