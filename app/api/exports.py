"""/v1/exports/datev: create a DATEV export (a recorded state change), list past ones, download files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.params import AUTH_ERRORS, MAX_ID, errors
from app.attributes import from_attributes
from app.deps import Reviewer, SessionDep, SettingsDep
from app.journal.datev import create_export, get_batch, list_exports
from app.journal.export_ledger import DatevBatch, DatevExport
from schemas.booking import DatevBatchRead, DatevExportCreate, DatevExportPage, DatevExportRead

router = APIRouter(tags=["exports"], responses=AUTH_ERRORS)

ExportId = Annotated[int, Path(ge=1, le=MAX_ID, description="The export's id")]
BatchNumber = Annotated[int, Path(ge=1, le=MAX_ID, description="The batch's number within the export")]


def _batch_read(batch: DatevBatch) -> DatevBatchRead:
    url = f"/v1/exports/datev/{batch.export_id}/batches/{batch.sequence}"
    return from_attributes(DatevBatchRead, batch, url=url)


def export_read(export: DatevExport) -> DatevExportRead:
    return from_attributes(DatevExportRead, export, batches=[_batch_read(b) for b in export.batches])


@router.post("/v1/exports/datev", response_model=DatevExportRead, status_code=201, responses=errors(400, 409))
def create(
    body: DatevExportCreate, session: SessionDep, settings: SettingsDep, principal: Reviewer
) -> DatevExportRead:
    """Export every entry dated up to `to` that no export carried yet (with `again`: every entry dated in
    [from, to]); one EXTF file per fiscal year and 99,999 rows. 409 `nothing_to_export` when nothing is due,
    409 `datev_not_configured` while the consultant/client numbers are DATEV's examples."""
    export = create_export(
        session, settings, body.date_from, body.date_to, actor=principal.actor, again=body.again
    )
    return export_read(export)


@router.get("/v1/exports/datev", response_model=DatevExportPage)
def exports(
    session: SessionDep,
    _principal: Reviewer,
    limit: Annotated[int, Query(ge=1, le=1000, description="Newest first, at most this many")] = 100,
) -> DatevExportPage:
    """Past exports, newest first, with their batch files."""
    return DatevExportPage(items=[export_read(e) for e in list_exports(session, limit=limit)])


@router.get(
    "/v1/exports/datev/{export_id}/batches/{sequence}",
    response_class=Response,
    responses={
        200: {
            "description": "The file as exported: Buchungsstapel or creditors (CSV), or the documents (ZIP).",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **errors(404),
    },
)
def download(
    export_id: ExportId, sequence: BatchNumber, session: SessionDep, _principal: Reviewer
) -> Response:
    """One file exactly as it was exported (EXTF: Windows-1252, `;`-separated; documents: ZIP); its SHA-256
    in `ETag`."""
    batch = get_batch(session, export_id, sequence)
    return Response(
        content=batch.content,
        media_type="application/zip" if batch.kind == "documents" else "text/csv; charset=windows-1252",
        headers={
            "Content-Disposition": f'attachment; filename="{batch.filename}"',
            "ETag": f'"{batch.sha256}"',
        },
    )
