"""/v1/documents/{id}/pdf and /searchable: the copies made from an original (scans above all)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from app.api.params import AUTH_ERRORS, Id, errors
from app.deps import Reviewer, SessionDep, UowDep, Uploader
from app.errors import NotFoundError
from app.models import Document
from app.scans.models import RenditionKind
from app.scans.renditions import find_rendition, pdf_copy
from app.scans.rotation import turn_page
from schemas.api import DocumentRead

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=AUTH_ERRORS)

_PDF_RESPONSE = {
    200: {
        "description": "A PDF, as a download.",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    },
    **errors(404),
}


@router.get("/{document_id}/pdf", response_class=Response, responses=_PDF_RESPONSE)
def get_pdf(document_id: Id, session: SessionDep, _principal: Uploader) -> Response:
    """The document as a PDF: a PDF upload as uploaded, a scan's PDF copy (404 for an XML upload)."""
    document = _get(session, document_id)
    pdf = pdf_copy(session, document)
    if pdf is None:
        raise NotFoundError(f"Document {document_id} is an e-invoice XML; it has no PDF.")
    return _download(pdf, f"{_stem(document.filename)}.pdf")


@router.get("/{document_id}/searchable", response_class=Response, responses=_PDF_RESPONSE)
def get_searchable(document_id: Id, session: SessionDep, _principal: Uploader) -> Response:
    """The searchable archive copy: the scanned pages with the OCR text as an invisible layer.

    Made when `KONTOR_OCR__ARCHIVE_COPY` is on and a page of the document was read by OCR; 404 otherwise.
    """
    document = _get(session, document_id)
    row = find_rendition(session, document_id, RenditionKind.SEARCHABLE)
    if row is None:
        raise NotFoundError(f"Document {document_id} has no searchable archive copy.")
    return _download(row.content, f"{_stem(document.filename)}.searchable.pdf", row.sha256)


class PageTurn(BaseModel):
    #: Clockwise degrees, as the page is shown: 90 (right), 180, 270 (left).
    turn: int = Field(description="90, 180 or 270: clockwise, as the page is shown")


@router.post(
    "/{document_id}/pages/{page}/rotate",
    status_code=202,
    response_model=DocumentRead,
    responses=errors(400, 404, 409),
)
def rotate_page(
    document_id: Id, page: Id, body: PageTurn, request: Request, uow: UowDep, principal: Reviewer
) -> Document:
    """Turn a page (stored and audited as `page.rotate`) and read the document again with it."""
    document = _get(uow.session, document_id)
    turn_page(uow, document, page, body.turn, actor=principal.actor, queue=request.app.state.queue)
    return document


def _download(content: bytes, filename: str, sha256: str | None = None) -> Response:
    name = filename.encode("ascii", "replace").decode().replace('"', "_")
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if sha256:
        headers["X-Content-SHA256"] = sha256
    return Response(content=content, media_type="application/pdf", headers=headers)


def _stem(filename: str) -> str:
    return filename.rsplit(".", 1)[0] if "." in filename else filename


def _get(session: SessionDep, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"No document with id {document_id}.")
    return document
