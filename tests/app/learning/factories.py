"""An installation with a real database, the review API and the pipeline, to correct invoices in and to
train from: what a bookkeeper does, step by step."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agents.extraction.places import PLACED_FIELDS
from agents.extraction.scoring import same
from agents.fake import FakeBackend
from app.config import Settings
from app.db import session_scope
from app.learning.examples import truth_invoice
from app.models import Document, Status, StepResult
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps import build_steps
from bench.synth import render
from bench.synth.invoice import SynthInvoice
from schemas.invoice import Invoice, LineItem, TaxBreakdown
from tests.corpus import corpus_dir
from tests.factories import create_document

#: Two hybrid invoices of the shipped corpus: the gate's corpus figure in these tests.
CORPUS_FILES = 2


@dataclass
class Installation:
    settings: Settings
    factory: sessionmaker[Session]
    client: TestClient
    reviewer: dict[str, str]

    def receive(self, invoice: SynthInvoice) -> int:
        """Upload the invoice's PDF and run the whole pipeline on it, as the worker does."""
        with session_scope(self.factory) as session:
            document_id = create_document(session, data=render(invoice), filename=f"{invoice.seed}.pdf").id
        Pipeline(self.factory, build_steps(self.settings, FakeBackend(), self.factory)).process(document_id)
        return document_id

    def extracted(self, document_id: int) -> Invoice:
        with self.factory() as session:
            data = session.scalar(
                select(StepResult.data).where(
                    StepResult.document_id == document_id, StepResult.step == "extract"
                )
            )
        assert data is not None
        return Invoice.model_validate(data["invoice"])

    def status(self, document_id: int) -> Status:
        with self.factory() as session:
            document = session.get(Document, document_id)
            assert document is not None
            return document.status

    def review(self, document_id: int, approved: Invoice) -> list[str]:
        """Correct every placed field the page reading got wrong to `approved`, then approve."""
        wrong = wrong_fields(self.extracted(document_id), approved)
        values = approved.model_dump(mode="json")
        url = f"/v1/documents/{document_id}"
        fields = {f: values[f] for f in [*wrong, "tax_breakdown", "line_items"]}
        changed = self.client.patch(f"{url}/fields", json={"fields": fields}, headers=self.reviewer)
        assert changed.status_code == 200, changed.text
        body = {"force": True, "reason": "checked against the paper invoice"}
        approval = self.client.post(f"{url}/approve", json=body, headers=self.reviewer)
        assert approval.status_code == 200, approval.text
        return wrong


def truth_of(invoice: SynthInvoice) -> Invoice:
    """What the reviewer approves: the drawn truth, with the lines and VAT breakdown booking needs."""
    breakdown = [
        TaxBreakdown(rate=rate, category="S", taxable_amount=base, tax_amount=tax)
        for rate, (base, tax) in invoice.tax_by_rate().items()
    ]
    lines = [
        LineItem(
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            net_amount=line.net_amount,
            tax_rate=line.tax_rate,
            tax_category="S",
        )
        for line in invoice.lines
    ]
    update = {"tax_breakdown": breakdown, "line_items": lines}
    return truth_invoice(invoice.truth()).model_copy(update=update)


def wrong_fields(got: Invoice, truth: Invoice, fields: Iterable[str] = PLACED_FIELDS) -> list[str]:
    """The fields the truth names that `got` has wrong."""
    return sorted(
        f
        for f in fields
        if (expected := getattr(truth, f)) is not None and not _right(f, getattr(got, f), expected)
    )


def _right(field: str, got: Any, expected: Any) -> bool:
    return got is not None and same(field, got, expected)


def small_corpus(folder: Path) -> Path:
    """A few labelled corpus PDFs with their truth files, for the gate's corpus figure."""
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = sorted((corpus_dir() / "invoices").glob("*_EN_16931.pdf"))[:CORPUS_FILES]
    for pdf in pdfs:
        shutil.copyfile(pdf, folder / pdf.name)
        shutil.copyfile(pdf.with_suffix(".json"), folder / pdf.with_suffix(".json").name)
    return folder
