"""Which bytes the pipeline reads and the review page shows: the original, or the copy made from it.

A PDF or XML upload is read as uploaded. An image upload is read through its PDF copy (made at
ingest, `app.scans.convert`). Pages a reviewer turned are turned in that copy (`/Rotate`), so the
text layer, the OCR and the page image all see the page the same way up. Only flushes.
"""

from __future__ import annotations

import hashlib
import io

import pikepdf
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.media import is_image
from app.models import Document
from app.scans.convert import image_to_pdf
from app.scans.models import PageRotation, Rendition, RenditionKind

PDF = "application/pdf"


def store_rendition(session: Session, document: Document, kind: RenditionKind, content: bytes) -> Rendition:
    """Store (or replace) the `kind` copy of `document`."""
    row = session.scalar(
        select(Rendition).where(Rendition.document_id == document.id, Rendition.kind == kind)
    )
    if row is None:
        row = Rendition(document_id=document.id, kind=kind, media_type=PDF)
        session.add(row)
    row.content, row.size = content, len(content)
    row.sha256 = hashlib.sha256(content).hexdigest()
    session.flush()
    return row


def find_rendition(session: Session, document_id: int, kind: RenditionKind) -> Rendition | None:
    return session.scalar(
        select(Rendition).where(Rendition.document_id == document_id, Rendition.kind == kind)
    )


def pdf_copy(session: Session, document: Document) -> bytes | None:
    """The PDF that stands for the document's pages, unturned; None for an XML upload."""
    if document.media_type == PDF:
        return document.content
    if not is_image(document.media_type):
        return None
    row = find_rendition(session, document.id, RenditionKind.PDF)
    if row is not None:
        return row.content
    # Made at ingest; a document from before image support (or a lost copy) gets it made again.
    return store_rendition(session, document, RenditionKind.PDF, image_to_pdf(document.content)).content


def page_count(session: Session, document: Document) -> int:
    """Pages of the document's PDF (0 for an XML upload)."""
    pdf = pdf_copy(session, document)
    if pdf is None:
        return 0
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def rotations(session: Session, document_id: int) -> dict[int, int]:
    """Page number → the reviewer's clockwise turn in degrees (only pages that were turned)."""
    rows = session.scalars(select(PageRotation).where(PageRotation.document_id == document_id))
    return {row.page: row.degrees for row in rows if row.degrees % 360}


def processing_copy(session: Session, document: Document) -> tuple[str, bytes]:
    """Media type and bytes the pipeline reads: the original, or its PDF copy with the turns applied."""
    pdf = pdf_copy(session, document)
    if pdf is None:
        return document.media_type, document.content
    return PDF, turned(pdf, rotations(session, document.id))


def turned(pdf: bytes, turns: dict[int, int]) -> bytes:
    """`pdf` with each page in `turns` rotated clockwise by that many degrees more; as is without turns."""
    if not turns:
        return pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, degrees in turns.items():
            if 1 <= number <= len(document.pages):
                document.pages[number - 1].rotate(degrees, relative=True)
        out = io.BytesIO()
        # Reproducible: the same original and turns give the same bytes (the page-image cache keys on them).
        document.save(out, deterministic_id=True)
    return out.getvalue()
