"""The pipeline's steps over a file, in memory and without storing anything: `kontor check`, `extract`
and `eval` run the same steps, in the same loop, as the service does for an upload."""

from __future__ import annotations

from collections.abc import Sequence

from agents.einvoice import is_einvoice_xml
from app.errors import EmptyUploadError, UnsupportedMediaError
from app.media import MediaType, sniff
from app.pipeline.run import run_steps
from app.pipeline.state import PipelineState, Step


def media_type_of(data: bytes) -> MediaType:
    """What the service would accept the file as; `EmptyUploadError` or `UnsupportedMediaError` if nothing."""
    if not data:
        raise EmptyUploadError("The file is empty.")
    kind = sniff(data)
    if kind == "application/pdf" or (kind == "application/xml" and is_einvoice_xml(data)):
        return kind
    raise UnsupportedMediaError("Neither a PDF nor an e-invoice XML.")


def run_file(steps: Sequence[Step], data: bytes, filename: str = "") -> PipelineState:
    """Every step that applies, run on `data`; a `KontorError` says why the file cannot be processed."""
    state = PipelineState(document_id=None, filename=filename, media_type=media_type_of(data), content=data)
    run_steps(steps, state)
    return state
