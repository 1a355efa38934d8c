"""datev: the export ledger (exports, batch files, exported entries); Buchungs-GUID, Leistungsdatum, Fälligkeit;
exchange rates and the foreign currency of entries

Revision ID: 0006_datev
Revises: 0004
Create Date: 2026-12-01 19:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_datev'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('datev_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=128), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('again', sa.Boolean(), nullable=False),
    sa.Column('document_numbers', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datev_exports'))
    )
    op.create_table('datev_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('fiscal_year_start', sa.Date(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('gross_cents', sa.BigInteger(), nullable=False),
    sa.Column('filename', sa.String(length=128), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['datev_exports.id'], name=op.f('fk_datev_batches_export_id_datev_exports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datev_batches')),
    sa.UniqueConstraint('export_id', 'sequence', name=op.f('uq_datev_batches_export_id'))
    )
    with op.batch_alter_table('datev_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_datev_batches_export_id'), ['export_id'], unique=False)

    op.create_table('datev_batch_entries',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['datev_batches.id'], name=op.f('fk_datev_batch_entries_batch_id_datev_batches')),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'], name=op.f('fk_datev_batch_entries_entry_id_journal_entries')),
    sa.PrimaryKeyConstraint('batch_id', 'entry_id', name=op.f('pk_datev_batch_entries'))
    )
    with op.batch_alter_table('datev_batch_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_datev_batch_entries_entry_id'), ['entry_id'], unique=False)

    op.create_table('exchange_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rate', sa.String(length=24), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rates')),
    sa.UniqueConstraint('currency', 'day', name=op.f('uq_exchange_rates_currency'))
    )

    # Plain ADD COLUMN (no table copy): the immutability triggers of 0004 stay in place. Rows posted before
    # keep NULL; their Buchungs-GUID is derived from the line id (app.journal.models.JournalLine.booking_guid).
    op.add_column('journal_entries', sa.Column('service_date', sa.Date(), nullable=True))
    op.add_column('journal_entries', sa.Column('due_date', sa.Date(), nullable=True))
    op.add_column('journal_lines', sa.Column('guid', sa.String(length=36), nullable=True))
    op.add_column('journal_entries', sa.Column('exchange_rate', sa.String(length=24), nullable=True))
    op.add_column('journal_entries', sa.Column('foreign_gross_cents', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Native DROP COLUMN (SQLite 3.35+): a batch table copy would drop the immutability triggers.
    op.drop_column('journal_entries', 'foreign_gross_cents')
    op.drop_column('journal_entries', 'exchange_rate')
    op.drop_column('journal_lines', 'guid')
    op.drop_column('journal_entries', 'due_date')
    op.drop_column('journal_entries', 'service_date')
    with op.batch_alter_table('datev_batch_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_datev_batch_entries_entry_id'))
    op.drop_table('datev_batch_entries')
    with op.batch_alter_table('datev_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_datev_batches_export_id'))
    op.drop_table('datev_batches')
    op.drop_table('datev_exports')
    op.drop_table('exchange_rates')
