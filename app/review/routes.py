"""The review pages: the queue, one document with its page images, and the decisions on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy import select

from app.api.params import Id
from app.documents import decisions
from app.documents.intake import reprocess as reprocess_document
from app.errors import IllegalTransitionError, KontorError, NotFoundError, UploadError
from app.media import is_image
from app.models import Document, Status
from app.pipeline.steps.book import booking_policy
from app.review import accounts, approval, browse, editing, mail_view, password_pages, render, rotate, upload
from app.review.deps import CheckedLogin, CurrentLogin, DocumentPost, DocumentView, PageUow, PageView
from app.review.detail import PAGE_FIELDS, label
from app.review.document_page import NOTICES, EditError, render_document
from app.review.editing import apply_edit, get_document
from app.review.forms import field_input, plain_message
from app.review.queue import next_in_queue, review_queue
from app.review.web import PREFIX, redirect
from app.scans.page_image import review_page_png

router = APIRouter(prefix=PREFIX, tags=["review"], include_in_schema=False)
for module in (accounts, editing, browse, password_pages, upload, mail_view, rotate):
    router.include_router(module.router)


@router.get("")
def queue_page(on: PageView, reason: str = "", vendor: str = "", notice: str = "") -> Response:
    queue = review_queue(on.uow.session, reason=reason, vendor=vendor)
    return on.page("queue.html", queue=queue, reason=reason, vendor=vendor, notice=NOTICES.get(notice))


@router.get("/documents/{document_id}")
def document_page(on: DocumentView, notice: str | None = None, field: str | None = None) -> Response:
    return render_document(on, notice=notice, selected=field)


@router.post("/documents/{document_id}/fields")
def edit_field(
    on: DocumentPost, field: Annotated[str, Form()] = "", value: Annotated[str, Form()] = ""
) -> Response:
    """Correct one field (as the review API does), then check the invoice again."""
    if field not in PAGE_FIELDS:
        raise UploadError(f"There is no field {field!r} to correct.")
    document = get_document(on.uow, on.document_id)
    try:
        apply_edit(on, document, {field: field_input(field, value)}, {})
    except ValidationError as exc:
        message = " ".join(plain_message(e) for e in exc.errors())
        error = EditError(field, value, f"{label(field)}: {message}")
        return render_document(on, error=error)
    return redirect(f"{PREFIX}/documents/{on.document_id}?notice=saved&field={field}")


@router.post("/documents/{document_id}/approve")
def approve(
    on: DocumentPost, force: Annotated[bool, Form()] = False, reason: Annotated[str, Form()] = ""
) -> Response:
    """needs_review → booked, as the review API approves; then on to the next document."""
    uow, login, settings = on.uow, on.login, on.settings
    document = get_document(uow, on.document_id)
    try:
        with uow.session.begin_nested():
            approval.approve(
                uow.session,
                document,
                actor=login.actor,
                person=login.actor,
                policy=booking_policy(settings),
                settings=settings.review,
                force=force,
                reason=reason,
            )
    except KontorError as exc:
        # Booking refused (the message says what to fix) or decided meanwhile: shown on the page.
        return render_document(on, error=exc)
    return _onward(uow, document, "approved")


@router.post("/documents/{document_id}/reject")
def reject(on: DocumentPost, reason: Annotated[str, Form()] = "") -> Response:
    document = get_document(on.uow, on.document_id)
    try:
        if not reason.strip():
            raise UploadError("Say why the document is rejected.")
        with on.uow.session.begin_nested():
            decisions.reject(on.uow.session, document, actor=on.login.actor, reason=reason.strip()[:2000])
    except KontorError as exc:
        return render_document(on, error=exc)
    return _onward(on.uow, document, "rejected")


def _onward(uow: PageUow, document: Document, notice: str) -> Response:
    following = next_in_queue(uow.session, document)
    if following is None:
        return redirect(f"{PREFIX}?notice={notice}")
    return redirect(f"{PREFIX}/documents/{following}?notice={notice}")


@router.post("/documents/{document_id}/reprocess")
def reprocess(request: Request, document_id: Id, uow: PageUow, login: CheckedLogin) -> Response:
    """Through the pipeline again from the original, as `POST /v1/documents/{id}/reprocess` does."""
    document = get_document(uow, document_id)
    if document.status not in (Status.NEEDS_REVIEW, Status.FAILED):
        raise IllegalTransitionError(f"A {document.status.value} document is not processed again.")
    reprocess_document(uow, document, actor=login.actor, queue=request.app.state.queue)
    return redirect(f"{PREFIX}?notice=reprocessing")


@router.get("/documents/{document_id}/next")
def next_document(document_id: Id, uow: PageUow, _login: CurrentLogin) -> Response:
    document = get_document(uow, document_id)
    following = next_in_queue(uow.session, document)
    if following is None:
        return redirect(f"{PREFIX}?notice=empty")
    return redirect(f"{PREFIX}/documents/{following}")


@router.get("/documents/{document_id}/pages/{number}.png")
def page_image(
    document_id: Id,
    number: int,
    uow: PageUow,
    _login: CurrentLogin,
    scale: Annotated[float, Query()] = render.DEFAULT_SCALE,
) -> Response:
    row = uow.session.execute(select(Document.media_type).where(Document.id == document_id)).one_or_none()
    if row is None or not (row.media_type == "application/pdf" or is_image(row.media_type)):
        raise NotFoundError(f"Document {document_id} has no page images.")
    png = review_page_png(uow.session, document_id, number, scale)
    # What shapes the image beyond the original (a turn, the OCR's straightening) is in its URL (`v`).
    headers = {"Cache-Control": "private, max-age=86400, immutable", "X-Content-Type-Options": "nosniff"}
    return Response(png, media_type="image/png", headers=headers)


@router.get("/documents/{document_id}/original")
def original(document_id: Id, uow: PageUow, _login: CurrentLogin) -> Response:
    """The uploaded file, always as a download: the browser never opens the PDF itself."""
    document = get_document(uow, document_id)
    name = document.filename.encode("ascii", "replace").decode().replace('"', "_")
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Content-Security-Policy": "sandbox",
        "X-Content-Type-Options": "nosniff",
        "X-Content-SHA256": document.sha256,
    }
    return Response(document.content, media_type=document.media_type, headers=headers)
