"""Uploads from the review page: files dropped or picked, each sent in its own request with its own result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from app.api.params import read_limited
from app.deps import SettingsDep
from app.documents.intake import ingest
from app.errors import KontorError
from app.models import Source
from app.review.deps import CheckedLogin, PageUow, PageView

router = APIRouter()


@router.get("/upload")
def upload_page(on: PageView, settings: SettingsDep) -> Response:
    return on.page("upload.html", max_mb=settings.max_upload_mb)


@router.post("/upload")
def upload_file(
    request: Request,
    uow: PageUow,
    login: CheckedLogin,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """One file; JSON for the page's script: `{"id", "status", "created"}` or `{"error"}` with its reason."""
    max_bytes = settings.max_upload_bytes
    try:
        data = read_limited(file, max_bytes, limit=f"{max_bytes // (1024 * 1024)} MB")
        document, created = ingest(
            uow.session,
            data,
            filename=file.filename or "upload",
            source=Source.API,
            actor=login.actor,
            max_bytes=max_bytes,
            limits=settings.limits,
        )
    except KontorError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status_code)
    if created:
        queue, document_id = request.app.state.queue, document.id
        uow.after_commit.append(lambda: queue.process_document(document_id))
    body = {"id": document.id, "status": document.status.value, "created": created}
    return JSONResponse(body, status_code=201 if created else 200)
