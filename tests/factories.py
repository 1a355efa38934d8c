"""Keyword-only factories for test data."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from sqlalchemy.orm import Session

from app.config import LimitsSettings
from app.documents.intake import ingest
from app.models import Document, Role, Source, Status
from app.security import create_key
from tests.corpus import corpus_dir


def create_api_key(session: Session, *, role: Role = Role.UPLOADER, user_id: int | None = None) -> str:
    _key, plaintext = create_key(session, role=role, name=f"test {role.value}", user_id=user_id)
    session.flush()
    return plaintext


def corpus_pdf(name: str | None = None) -> Path:
    """A hybrid corpus PDF (the first one when no name is given)."""
    invoices = corpus_dir() / "invoices"
    if name:
        return invoices / name
    return sorted(invoices.glob("*.pdf"))[0]


def text_pdf(text: str = "Rechnung Nr. 4711", *, pages: int = 1) -> bytes:
    """A small PDF with a real text layer, drawn with pikepdf."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for i in range(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({text} - page {i + 1}) Tj ET".encode()
        page = pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, 595, 842],
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                Contents=pdf.make_stream(content),
            )
        )
        pdf.pages.append(page)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    """A PDF page without any text: what a scanner without OCR produces."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(text_pdf())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return out.getvalue()


def create_document(
    session: Session,
    *,
    data: bytes | None = None,
    status: Status = Status.RECEIVED,
    filename: str = "x.pdf",
    limits: LimitsSettings | None = None,
) -> Document:
    document, _created = ingest(
        session,
        data or text_pdf(),
        filename=filename,
        source=Source.API,
        actor="test",
        max_bytes=10**8,
        limits=limits,
    )
    document.status = status
    session.flush()
    return document
