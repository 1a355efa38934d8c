"""/v1/documents: upload, status, results, originals and reprocessing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.params import AUTH_ERRORS, Id, PageSize, errors, keyset_page, read_limited, where_equal
from app.deps import Reviewer, SessionDep, SettingsDep, UowDep, Uploader
from app.documents.intake import ingest
from app.documents.intake import reprocess as reprocess_document
from app.documents.reasons import top_reasons
from app.errors import NotFoundError, UploadError
from app.media import MEDIA_TYPES
from app.models import Document, Source, Status
from schemas.api import DocumentDetail, DocumentPage, DocumentRead, StepResultRead
from schemas.finding import Finding

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=AUTH_ERRORS)


@router.post(
    "",
    status_code=201,
    response_model=DocumentRead,
    responses={
        200: {"model": DocumentRead, "description": "The same bytes were uploaded before: that document."},
        **errors(400, 413, 415),
    },
)
def upload(
    request: Request,
    response: Response,
    uow: UowDep,
    settings: SettingsDep,
    principal: Uploader,
    file: Annotated[
        list[UploadFile],
        File(description="A PDF invoice, a scan (PNG, JPEG, TIFF) or an e-invoice XML, one per request"),
    ],
) -> Document:
    """Store the file and queue it; the same bytes again return the existing document (200).

    A plain `def`: FastAPI runs it in its thread pool, so the synchronous database work of one upload
    (which may wait for another's lock) never blocks the event loop that every other request needs.
    """
    if len(file) > 1:  # refused, never silently dropped
        raise UploadError(
            f"One file per request, this one has {len(file)} `file` parts: send each on its own."
        )
    data = read_limited(file[0], settings.max_upload_bytes, limit=f"{settings.max_upload_bytes} bytes")
    document, created = ingest(
        uow.session,
        data,
        filename=file[0].filename or "upload",
        source=Source.API,
        actor=principal.actor,
        max_bytes=settings.max_upload_bytes,
        limits=settings.limits,
    )
    if created:
        queue = request.app.state.queue
        document_id = document.id
        uow.after_commit.append(lambda: queue.process_document(document_id))
    else:
        response.status_code = 200
    return document


@router.get("", response_model=DocumentPage, responses=errors(400))
def list_documents(
    session: SessionDep,
    _principal: Uploader,
    status: Status | None = None,
    limit: PageSize = 50,
    cursor: str | None = None,
) -> DocumentPage:
    """Newest first, keyset-paginated: pass `next_cursor` back as `cursor`."""
    query = where_equal(select(Document), status=status)
    page, next_cursor = keyset_page(session, query, Document.id, limit=limit, cursor=cursor)
    reasons = top_reasons(session, page)
    items = [DocumentRead.model_validate(r).model_copy(update={"top_reason": reasons[r.id]}) for r in page]
    return DocumentPage(items=items, next_cursor=next_cursor)


@router.get("/{document_id}", response_model=DocumentDetail, responses=errors(404))
def get_document(document_id: Id, session: SessionDep, _principal: Uploader) -> DocumentDetail:
    document = _get(session, document_id)
    results = [
        StepResultRead(
            step=r.step,
            created_at=r.created_at,
            findings=[Finding.model_validate(f) for f in r.findings],
            data=_summarize(r.step, r.data),
        )
        for r in document.results
    ]
    detail = DocumentDetail.model_validate(document, from_attributes=True)
    detail.results = results
    detail.findings = [f for r in results for f in r.findings]
    detail.invoice = _invoice(document)
    detail.top_reason = top_reasons(session, [document])[document.id]
    return detail


def _summarize(step: str, data: dict[str, Any]) -> dict[str, Any]:
    # The words of every page are for the pipeline and the review page, not for API clients.
    if step == "read":
        pages = data.get("pages", [])
        return {
            "kind": data.get("kind"),
            "page_count": data.get("page_count"),
            "chars": sum(len(p.get("text", "").strip()) for p in pages),
        }
    return data


def _invoice(document: Document) -> dict[str, Any] | None:
    by_step = {r.step: r.data for r in document.results}
    for step in ("review", "einvoice", "extract"):
        invoice = by_step.get(step, {}).get("invoice")
        if invoice is not None:
            return dict(invoice)
    return None


@router.get(
    "/{document_id}/original",
    response_class=Response,
    responses={
        200: {
            "description": "The original file, as a download.",
            "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES},
        },
        **errors(404),
    },
)
def get_original(document_id: Id, session: SessionDep, _principal: Uploader) -> Response:
    """The exact bytes that were uploaded."""
    document = _get(session, document_id)
    return Response(
        content=document.content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{_ascii(document.filename)}"',
            "X-Content-SHA256": document.sha256,
        },
    )


def _ascii(name: str) -> str:
    return name.encode("ascii", "replace").decode().replace('"', "_")


@router.post(
    "/{document_id}/reprocess", status_code=202, response_model=DocumentRead, responses=errors(404, 409)
)
def reprocess(document_id: Id, request: Request, uow: UowDep, principal: Reviewer) -> Document:
    """Run the pipeline again from the original (for failed or flagged documents)."""
    document = _get(uow.session, document_id)
    reprocess_document(uow, document, actor=principal.actor, queue=request.app.state.queue)
    return document


def _get(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"No document with id {document_id}.")
    return document
