"""Property: every amount the agent reports from the page points at a token that looks like money there.

Over every corpus PDF (visual path), each total with a page box must sit on words that print the value
with cents or a currency, or a bare number on a line that carries an amount label. A page number, a
position, a year or a postcode can never satisfy this.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from agents.extraction.agent import ExtractionAgent
from agents.extraction.evaluate import corpus_files, strip_embedded_xml
from agents.extraction.labels import LABELS
from agents.extraction.layout import Layout, build_layout
from agents.extraction.money import typed_tokens
from agents.reading.pdf import read_pdf
from schemas.invoice import AMOUNT_FIELDS, Invoice
from tests.corpus import corpus_dir


def _pdfs() -> list[Path]:
    root = corpus_dir()
    return corpus_files([root / "real", root / "invoices"])


def _words_in_box(layout: Layout, page: int, box: tuple[float, float, float, float]) -> list[str]:
    """The line texts whose words fall inside `box`, each cut to those words."""
    x0, top, x1, bottom = box
    texts = []
    for line in layout.lines:
        if line.page != page:
            continue
        for segment in line.segments:
            inside = [
                w.text
                for w in segment.words
                if w.x0 >= x0 - 1 and w.x1 <= x1 + 1 and w.top >= top - 1 and w.bottom <= bottom + 1
            ]
            if inside:
                texts.append(" ".join(inside))
    return texts


def _labelled_line(layout: Layout, page: int, box: tuple[float, float, float, float]) -> bool:
    rows = [
        line
        for line in layout.lines
        if line.page == page and line.top <= box[3] and box[1] <= max(s.bbox[3] for s in line.segments)
    ]
    labels = [label for label in LABELS if label.field in AMOUNT_FIELDS]
    return any(label.pattern.search(line.text) for line in rows for label in labels)


def _violations(invoice: Invoice, layout: Layout) -> list[str]:
    bad = []
    for name in sorted(AMOUNT_FIELDS):
        source, value = invoice.fields.get(name), getattr(invoice, name)
        if source is None or source.bbox is None or source.page is None or value is None:
            continue
        texts = _words_in_box(layout, source.page, source.bbox)
        tokens = [t for text in texts for t in typed_tokens(text)]
        matching = [t for t in tokens if abs(t.match.value) == abs(Decimal(value))]
        if not matching:
            bad.append(f"{name}={value}: no such amount in {texts}")
        elif not any(t.shaped for t in matching) and not _labelled_line(layout, source.page, source.bbox):
            bad.append(f"{name}={value}: bare number {texts} on a line without an amount label")
    return bad


@pytest.mark.parametrize("pdf", _pdfs(), ids=lambda p: p.stem[:40])
def test_every_reported_amount_stands_on_a_money_shaped_token(pdf: Path) -> None:
    read = read_pdf(strip_embedded_xml(pdf.read_bytes()))
    invoice = ExtractionAgent(None).extract(read).invoice
    assert _violations(invoice, build_layout(read)) == []
