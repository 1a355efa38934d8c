"""What the detail page shows of one document: page images with boxes, fields, findings, proposal, history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.reading.pdf import MAX_PAGES
from agents.validation.settings import ValidationSettings
from app.documents.decisions import BOOK_STEP
from app.errors import NotFoundError
from app.models import AuditEvent, Document, Status
from app.pipeline.stored import INVOICE_STEPS, current_invoice
from app.review import render
from app.review.findings import SEVERITY_ORDER, current_findings
from app.scans.page_image import page_version
from app.scans.renditions import processing_copy, rotations
from schemas.booking import BookingProposal
from schemas.fields import FIELD_SPECS
from schemas.finding import Finding
from schemas.invoice import AMOUNT_FIELDS, HEADER_FIELDS, FieldSource, Invoice

#: What the page shows and lets a person correct one by one: the header fields, then the addresses.
PAGE_FIELDS: tuple[str, ...] = (*HEADER_FIELDS, "seller_address", "buyer_address")


def label(name: str) -> str:
    spec = FIELD_SPECS.get(name)
    return spec.review_label if spec is not None else name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Box:
    """Where a value sits on its page, in PDF points from the top left (an SVG over the image scales it)."""

    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    value: str
    source: FieldSource | None
    box: Box | None
    findings: list[Finding]
    low_confidence: bool

    @property
    def flagged(self) -> bool:
        return bool(self.findings) or self.low_confidence

    @property
    def severity(self) -> str | None:
        if self.findings:
            return min((f.severity for f in self.findings), key=SEVERITY_ORDER.__getitem__)
        return "warning" if self.low_confidence else None


@dataclass(frozen=True)
class PageView:
    number: int
    width: float
    height: float
    boxes: list[tuple[str, Box]] = field(default_factory=list)
    #: What shapes the image beyond the original (a reviewer's turn, OCR straightening); part of its URL.
    version: str = ""
    #: Read by OCR: the image is the straightened scan the words were read from.
    ocr: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    summary: str


@dataclass(frozen=True)
class DocumentView:
    document: Document
    invoice: Invoice | None
    fields: list[FieldView]
    findings: list[Finding]
    pages: list[PageView]
    proposal: BookingProposal | None
    history: list[HistoryEntry]

    @property
    def open_for_review(self) -> bool:
        return self.document.status == Status.NEEDS_REVIEW

    @property
    def open_errors(self) -> list[str]:
        return sorted({f.code for f in self.findings if f.severity == "error"})

    @property
    def first_flagged(self) -> str | None:
        """Where the reviewer starts: the field the worst finding names first, else a doubtful one."""
        shown = {f.name for f in self.fields}
        for finding in self.findings:
            named = [name for name in finding.fields if name in shown]
            if named:
                return named[0]
        return next((f.name for f in self.fields if f.low_confidence), None)


def document_view(session: Session, document_id: int, thresholds: ValidationSettings) -> DocumentView:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"No document with id {document_id}.")
    results = {r.step: r for r in document.results}
    data = {step: r.data for step, r in results.items()}
    invoice = current_invoice(data)
    findings = current_findings(document.results)
    pages = _pages(session, document, data.get("read"))
    located = _located(data)
    fields = [_field(name, invoice, findings, located.get(name), pages, thresholds) for name in PAGE_FIELDS]
    for view in fields:
        if view.box is not None and view.box.page <= len(pages):
            pages[view.box.page - 1].boxes.append((view.name, view.box))
    return DocumentView(
        document=document,
        invoice=invoice,
        fields=fields,
        findings=findings,
        pages=pages,
        proposal=_proposal(data),
        history=history(session, document_id),
    )


def _pages(session: Session, document: Document, read: dict[str, Any] | None) -> list[PageView]:
    # The read step's page sizes are the space the boxes were measured in.
    turns = rotations(session, document.id)
    if read and read.get("pages"):
        return [_page_view(p, turns.get(int(p["number"]), 0)) for p in read["pages"]]
    media_type, pdf = processing_copy(session, document)
    if media_type != "application/pdf":
        return []
    sizes = render.page_sizes(pdf)
    return [
        PageView(i + 1, w, h, version=page_version(turns.get(i + 1, 0), None))
        for i, (w, h) in enumerate(sizes[:MAX_PAGES])
    ]


def _page_view(page: dict[str, Any], turn: int) -> PageView:
    ocr = page.get("ocr")
    return PageView(
        int(page["number"]),
        float(page["width"]),
        float(page["height"]),
        version=page_version(turn, ocr),
        ocr=bool(ocr),
    )


def _shown(name: str, value: object) -> str:
    if value is None:
        return ""
    if name in AMOUNT_FIELDS and isinstance(value, Decimal) and value.as_tuple().exponent in (0, -1):
        return f"{value:.2f}"  # an amount read as 95 or 104.9 still looks like money
    return str(value)


def _located(data: dict[str, dict[str, Any]]) -> dict[str, FieldSource]:
    """Per field, the best source that says where on the page it is.

    A person's correction has no box of its own, but the value still sits where the extraction found it.
    """
    located: dict[str, FieldSource] = {}
    for step in reversed(INVOICE_STEPS):
        raw = data.get(step, {}).get("invoice")
        if raw is not None:
            sources = Invoice.model_validate(raw).fields
            located.update({name: s for name, s in sources.items() if s.bbox is not None and s.page})
    return located


def _field(
    name: str,
    invoice: Invoice | None,
    findings: list[Finding],
    located: FieldSource | None,
    pages: list[PageView],
    thresholds: ValidationSettings,
) -> FieldView:
    value = getattr(invoice, name, None) if invoice else None
    source = invoice.fields.get(name) if invoice else None
    threshold = thresholds.confidence_thresholds.get(name, thresholds.confidence_threshold)
    return FieldView(
        name=name,
        label=label(name),
        value=_shown(name, value),
        source=source,
        box=_box(located, pages),
        findings=[f for f in findings if name in f.fields],
        low_confidence=source is not None and value is not None and source.confidence < threshold,
    )


def _box(source: FieldSource | None, pages: list[PageView]) -> Box | None:
    if source is None or source.bbox is None or source.page is None or not 1 <= source.page <= len(pages):
        return None
    x0, top, x1, bottom = source.bbox
    # A little air around the words, so the outline does not cover the first and last letters.
    return Box(page=source.page, x=x0 - 2, y=top - 2, width=x1 - x0 + 4, height=bottom - top + 4)


def _proposal(data: dict[str, dict[str, Any]]) -> BookingProposal | None:
    proposal = data.get(BOOK_STEP, {}).get("proposal")
    return BookingProposal.model_validate(proposal) if proposal is not None else None


def history(session: Session, document_id: int) -> list[HistoryEntry]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.document_id == document_id).order_by(AuditEvent.id)
    )
    return [HistoryEntry(e.at, e.actor, e.action, describe(e)) for e in events]


def describe(event: AuditEvent) -> str:
    """One line a person reads: `gross_total: 104.00 → 104.90`, `needs_review → booked (…)`."""
    before, after = event.before or {}, event.after or {}
    if "field" in after or "field" in before:
        name = str(after.get("field") or before.get("field"))
        old, new = _value(before, "value", after, "old"), _value(after, "value", after, "new")
        return f"{label(name)}: {old or '—'} → {new or '—'}"
    if event.action == "status":
        reason = f" ({after['reason']})" if after.get("reason") else ""
        return f"{before.get('status')} → {after.get('status')}{reason}"
    return ", ".join(f"{k}: {v}" for k, v in {**before, **after}.items() if v not in (None, "", [], {}))


def _value(primary: dict[str, Any], key: str, fallback: dict[str, Any], fallback_key: str) -> str:
    value = primary.get(key, fallback.get(fallback_key))
    return "" if value is None else str(value)
