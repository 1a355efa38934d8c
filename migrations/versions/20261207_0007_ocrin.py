"""ocrin: document renditions (the PDF of an image upload, the searchable archive copy) and page rotations

Revision ID: 0007_ocrin
Revises: 0006_edges
Create Date: 2026-12-07 01:56:28.614471
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_ocrin'
down_revision: str | None = '0006_edges'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('document_renditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('pdf', 'searchable', name='rendition_kind', native_enum=False, length=32), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_renditions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_renditions')),
    sa.UniqueConstraint('document_id', 'kind', name=op.f('uq_document_renditions_document_id'))
    )
    op.create_table('page_rotations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('degrees', sa.Integer(), nullable=False),
    sa.Column('set_by', sa.String(length=128), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_page_rotations_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_rotations')),
    sa.UniqueConstraint('document_id', 'page', name=op.f('uq_page_rotations_document_id'))
    )


def downgrade() -> None:
    op.drop_table('page_rotations')
    op.drop_table('document_renditions')
