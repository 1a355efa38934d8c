"""sandbox: documents.failure_code, why a document failed

Revision ID: 0006_sandbox
Revises: 0006_datev
Create Date: 2026-12-01 20:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_sandbox'
down_revision: str | None = '0006_datev'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FAILURE_CODES = (
    'empty', 'corrupt', 'encrypted', 'unsupported', 'too_large', 'too_many_pages', 'timeout',
    'resource_limit', 'crashed', 'attempts_exhausted', 'model_unavailable', 'internal',
)


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('failure_code', sa.Enum(*FAILURE_CODES, name='failure_code', native_enum=False, length=32), nullable=True)
        )
    # Documents that failed before codes existed: their reasons were free text.
    op.execute("UPDATE documents SET failure_code = 'internal' WHERE status = 'failed'")


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('failure_code')
