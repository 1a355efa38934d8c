"""Taking documents in: checks, content addressing and the audit trail. Flushes, never commits."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.config import LimitsSettings
from app.deps import UnitOfWork
from app.errors import (
    EmptyUploadError,
    IllegalTransitionError,
    TooLargeError,
    UnsupportedMediaError,
)
from app.media import is_image, sniff
from app.models import AuditEvent, Document, Source, Status
from app.pipeline.lifecycle import set_status
from app.preflight import check_pdf, check_xml
from app.scans.convert import image_to_pdf
from app.scans.images import check_image
from app.scans.models import RenditionKind
from app.scans.renditions import store_rendition


def check_upload(data: bytes, *, max_bytes: int, limits: LimitsSettings | None = None) -> str:
    """The media type of an acceptable upload; raises an `UploadError` with the reason otherwise.

    The pre-flight (`app.preflight`) refuses hostile and oversized content here, before anything
    is stored or queued.
    """
    limits = limits or LimitsSettings()
    if not data:
        raise EmptyUploadError("The file is empty.")
    if len(data) > max_bytes:
        raise TooLargeError(f"The file has {len(data)} bytes; the limit is {max_bytes}.")
    media_type = sniff(data)
    if media_type == "application/pdf":
        check_pdf(data, limits)
    elif media_type == "application/xml":
        check_xml(data, limits)
        _check_invoice_xml(data)
    elif media_type is not None and is_image(media_type):
        check_image(data, limits)
    else:
        raise UnsupportedMediaError(
            "Only PDF invoices, scans as PNG, JPEG or TIFF, and e-invoice XML (CII, UBL) are accepted."
        )
    return media_type


def _check_invoice_xml(data: bytes) -> None:
    from agents.einvoice import is_einvoice_xml

    if not is_einvoice_xml(data):
        raise UnsupportedMediaError(
            "The XML is not an e-invoice (UN/CEFACT CII or UBL Invoice/CreditNote) or is malformed."
        )


def ingest(
    session: Session,
    data: bytes,
    *,
    filename: str,
    source: Source,
    actor: str,
    max_bytes: int,
    limits: LimitsSettings | None = None,
) -> tuple[Document, bool]:
    """Store an upload once: `(document, True)` when new, `(existing, False)` for the same bytes.

    The key is the SHA-256 of the bytes as uploaded, for images too: their PDF copy is made from them
    (reproducibly) and stored beside them, never in their place. `limits` (the settings' `limits`;
    their defaults when None) bound the pre-flight checks.
    """
    media_type = check_upload(data, max_bytes=max_bytes, limits=limits)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = session.scalar(select(Document).where(Document.sha256 == sha256))
    if existing is not None:
        return existing, False
    # Converted before anything is stored: an image that cannot become a PDF page is refused whole.
    pdf = image_to_pdf(data) if is_image(media_type) else None
    document = Document(
        sha256=sha256,
        content=data,
        filename=_safe_name(filename),
        media_type=media_type,
        size=len(data),
        source=source,
        uploaded_by=actor,
    )
    try:
        with session.begin_nested():
            session.add(document)
            session.flush()
            if pdf is not None:
                store_rendition(session, document, RenditionKind.PDF, pdf)
    except IntegrityError:
        # A concurrent upload of the same bytes won the race: theirs is the document.
        raced = session.scalar(select(Document).where(Document.sha256 == sha256))
        if raced is None:
            raise
        return raced, False
    session.add(
        AuditEvent(
            actor=actor,
            action="upload",
            document_id=document.id,
            after={"sha256": sha256, "filename": document.filename, "source": source.value},
        )
    )
    session.flush()
    return document, True


def _safe_name(filename: str) -> str:
    # Control characters (NUL above all, which PostgreSQL text cannot hold) never belong in a name.
    printable = "".join(ch for ch in filename if ch.isprintable())
    name = PurePath(printable.replace("\\", "/")).name.strip() or "upload"
    return name[:255]


def reprocess(uow: UnitOfWork, document: Document, *, actor: str, queue: Any) -> None:
    """Send a document through the pipeline again from its original, queued once the commit is done."""
    if document.status in (Status.BOOKED, Status.REJECTED):
        raise IllegalTransitionError(
            f"A {document.status.value} document is final; booked entries are corrected by reversal."
        )
    if document.status in (Status.FAILED, Status.NEEDS_REVIEW):
        set_status(uow.session, document, Status.PROCESSING, actor=actor, reason="reprocess")
    document.attempts = 0  # a person asked for it: a fresh budget of attempts
    document_id = document.id
    uow.after_commit.append(lambda: queue.process_document(document_id))
