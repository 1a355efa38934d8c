"""vendor identity: a creditor account belongs to a vendor; the vendor is the one record of a seller

Creditors lose their own name, VAT ID, tax number and name key: each gets `vendor_id` (unique) and the
vendor holds who the seller is. Journal entries are not touched (they point at the creditor account, whose
id and number stay). `vendors.default_account` goes: nothing read it, and the vendor history of posted
entries already proposes the account a person confirmed.

Upgrade: each creditor, in id order, takes the vendor with its VAT ID, else tax number, else name (legal
form aside, as validation matches sellers) that no other creditor has taken; a creditor without one gets a
new vendor with no approved invoices (`invoice_count` 0, so validation does not treat it as on file).
Downgrade: the creditors get their identity back from their vendors, and the vendors that only a creditor
knew (no approved invoice) are removed.

Revision ID: 0008_vendor_identity
Revises: 0007_ocrin
Create Date: 2026-12-07 05:40:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from agents.booking.chart import normalize
from agents.validation.normalize import compact_id, company_key

revision: str = '0008_vendor_identity'
down_revision: str | None = '0007_ocrin'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENTITY = ('name', 'vat_id', 'tax_number', 'name_key')


def _tables() -> tuple[sa.Table, sa.Table]:
    meta = sa.MetaData()
    return sa.Table('vendors', meta, autoload_with=op.get_bind()), sa.Table(
        'creditors', meta, autoload_with=op.get_bind()
    )


def upgrade() -> None:
    with op.batch_alter_table('creditors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vendor_id', sa.Integer(), nullable=True))
    _link_creditors_to_vendors()
    with op.batch_alter_table('creditors', schema=None) as batch_op:
        batch_op.alter_column('vendor_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_creditors_vendor_id'), ['vendor_id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_creditors_vendor_id_vendors'), 'vendors', ['vendor_id'], ['id']
        )
        batch_op.drop_index(batch_op.f('ix_creditors_vat_id'))
        batch_op.drop_index(batch_op.f('ix_creditors_tax_number'))
        batch_op.drop_index(batch_op.f('ix_creditors_name_key'))
        for column in _IDENTITY:
            batch_op.drop_column(column)
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_column('default_account')


def _link_creditors_to_vendors() -> None:
    bind = op.get_bind()
    vendors, creditors = _tables()
    rows = [dict(r._mapping) for r in bind.execute(sa.select(vendors))]
    taken: set[int] = set()
    for creditor in bind.execute(sa.select(creditors).order_by(creditors.c.id)).mappings().all():
        vendor_id = _match(creditor, [v for v in rows if v['id'] not in taken])
        if vendor_id is None:
            vendor_id = _new_vendor(bind, vendors, creditor, rows)
        taken.add(vendor_id)
        bind.execute(creditors.update().where(creditors.c.id == creditor['id']).values(vendor_id=vendor_id))


def _match(creditor: Any, vendors: list[dict[str, Any]]) -> int | None:
    keys = (
        ('vat_id', compact_id(creditor['vat_id'] or '')),
        ('tax_number', compact_id(creditor['tax_number'] or '')),
        ('name_key', company_key(creditor['name'] or '')),
    )
    for column, value in keys:
        found = next((v['id'] for v in vendors if value and v[column] == value), None)
        if found is not None:
            return found
    return None


def _new_vendor(bind: sa.Connection, vendors: sa.Table, creditor: Any, rows: list[dict[str, Any]]) -> int:
    vat_id = compact_id(creditor['vat_id'] or '') or None
    if vat_id is not None and (len(vat_id) > 32 or any(v['vat_id'] == vat_id for v in rows)):
        vat_id = None  # vendors.vat_id is unique: the seller it names has its own creditor already
    values = {
        'name': creditor['name'],
        'name_key': company_key(creditor['name'])[:255],
        'vat_id': vat_id,
        'tax_number': compact_id(creditor['tax_number'] or '')[:32] or None,
        'ibans': [],
        'invoice_count': 0,
        'created_at': creditor['created_at'],
        'updated_at': datetime.now(UTC),
    }
    vendor_id = bind.execute(vendors.insert().values(**values).returning(vendors.c.id)).scalar_one()
    rows.append({'id': vendor_id, **values})
    return int(vendor_id)


def downgrade() -> None:
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_account', sa.String(length=32), nullable=True))
    with op.batch_alter_table('creditors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('vat_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('tax_number', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('name_key', sa.String(length=255), nullable=True))
    _copy_identity_back()
    with op.batch_alter_table('creditors', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=255), nullable=False)
        batch_op.alter_column('name_key', existing_type=sa.String(length=255), nullable=False)
        batch_op.create_index(batch_op.f('ix_creditors_vat_id'), ['vat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_creditors_tax_number'), ['tax_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_creditors_name_key'), ['name_key'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_creditors_vendor_id_vendors'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_creditors_vendor_id'), type_='unique')
        batch_op.drop_column('vendor_id')
    op.execute(sa.text('DELETE FROM vendors WHERE invoice_count = 0'))


def _copy_identity_back() -> None:
    bind = op.get_bind()
    vendors, creditors = _tables()
    query = sa.select(creditors.c.id, vendors.c.name, vendors.c.vat_id, vendors.c.tax_number).join(
        vendors, vendors.c.id == creditors.c.vendor_id
    )
    for creditor_id, name, vat_id, tax_number in bind.execute(query).all():
        bind.execute(
            creditors.update()
            .where(creditors.c.id == creditor_id)
            .values(name=name, vat_id=vat_id, tax_number=tax_number, name_key=normalize(name)[:255])
        )
