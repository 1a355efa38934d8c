"""The review page's image of one page: the page as it was read, so the field boxes sit on their words.

A page with a text layer is the PDF page (turned as a reviewer asked). A page read by OCR is the
straightened image the OCR read (`app.pipeline.ocr.straightened_image`: turned upright, deskewed), in
whose points its word boxes are measured. Images are cached under everything that shapes them: the
original's hash, the reviewer's turn and the OCR's transform.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.reading.scanned import straightened_image
from app.errors import NotFoundError
from app.models import Document, StepResult
from app.review import render
from app.scans.renditions import processing_copy, rotations
from schemas.document import Page


def page_version(turn: int, ocr: dict[str, Any] | None) -> str:
    """A short tag of what shapes a page's image beyond the original ("" when nothing does)."""
    if not turn and not ocr:
        return ""
    shape = f"{turn}:{(ocr or {}).get('dpi')}:{(ocr or {}).get('rotation')}:{(ocr or {}).get('skew')}"
    return hashlib.sha256(shape.encode()).hexdigest()[:12]


def review_page_png(session: Session, document_id: int, number: int, scale: float) -> bytes:
    """PNG of page `number` for the review page at `scale` pixels per point."""
    if scale not in render.SCALES:
        raise NotFoundError(f"Pages are rendered at scale {' or '.join(str(s) for s in render.SCALES)}.")
    row = session.execute(select(Document.sha256).where(Document.id == document_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"No document with id {document_id}.")
    turn = rotations(session, document_id).get(number, 0)
    page = _read_page(session, document_id, number)
    ocr = page.ocr.model_dump() if page is not None and page.ocr is not None else None
    key = f"{row.sha256}:{page_version(turn, ocr)}"
    return render.cached_png((key, number, scale), lambda: _render(session, document_id, number, scale, page))


def _render(session: Session, document_id: int, number: int, scale: float, page: Page | None) -> bytes:
    document = session.get(Document, document_id)
    assert document is not None  # looked up just before
    media_type, pdf = processing_copy(session, document)
    if media_type != "application/pdf":
        raise NotFoundError(f"Document {document_id} has no page images.")
    if page is None or page.ocr is None:
        return render.render_png(pdf, number, scale)
    return _straightened_png(pdf, page, scale)


def _straightened_png(pdf: bytes, page: Page, scale: float) -> bytes:
    image = straightened_image(pdf, page)
    fitted = min(scale, render.MAX_SIDE_PX / max(page.width, page.height, 1.0))
    size = (max(1, round(page.width * fitted)), max(1, round(page.height * fitted)))
    out = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _read_page(session: Session, document_id: int, number: int) -> Page | None:
    data = session.scalar(
        select(StepResult.data).where(StepResult.document_id == document_id, StepResult.step == "read")
    )
    pages = (data or {}).get("pages", [])
    found = next((p for p in pages if int(p.get("number", 0)) == number), None)
    return Page.model_validate(found) if found is not None else None
