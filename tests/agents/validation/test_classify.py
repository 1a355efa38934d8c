"""Document class: type codes, titles, references, letters; both errors measured on real and generated files.

A non-invoice taken as an invoice would be booked; an invoice taken as a non-invoice would wait for a
person. Both are counted here: over every corpus file (must be none) and over a generated set of
reminders, delivery notes, order confirmations, quotes, statements, receipts and letters in eight
languages (must be none, and each must get its own class).
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from agents.reading.pdf import read_pdf
from agents.validation import ValidationAgent
from agents.validation.classify import BOOKABLE, classify, classify_text
from agents.validation.settings import ValidationSettings
from app.pipeline.state import page_text
from schemas.invoice import FieldSource, Invoice
from tests.agents.validation.corpus_invoices import corpus_invoices
from tests.agents.validation.non_invoices import KINDS, WORDING, non_invoices
from tests.corpus import corpus_dir

PAGE_CODE = {"document_type_code": FieldSource(confidence=0.8, kind="page", source="title")}
REMINDER = "Zahlungserinnerung\nUnsere Rechnung Nr. 4711 vom 01.10.2024 über 529,87 EUR ist noch offen."
LETTER = (
    "Muster Verein e.V. · Hauptstraße 5 · 12345 Musterstadt\nSehr geehrte Frau Beispiel,\n"
    "zu unserem Sommerfest laden wir Sie herzlich ein. Bitte anmelden bis 1. Juni.\nMit freundlichen Grüßen"
)


def page() -> Invoice:
    """An invoice as the extraction step reads it off a page: type 380 guessed, not stated."""
    return Invoice(document_type_code="380", fields=PAGE_CODE)


def test_an_e_invoice_type_code_decides_over_the_page() -> None:
    xml = FieldSource(confidence=1.0, kind="xml", source="/rsm:CrossIndustryInvoice")
    credit = Invoice(document_type_code="381", fields={"document_type_code": xml})
    result = classify(credit, REMINDER)
    assert (result.document_class, result.basis) == ("credit_note", "type_code")


@pytest.mark.parametrize(
    ("text", "expected", "basis"),
    [
        (REMINDER, "payment_reminder", "title"),
        (
            "2. Mahnung\nRechnungsnummer Rechnungsdatum Betrag\n4711 01.10.2024 529,87",
            "payment_reminder",
            "title",
        ),
        ("Zahlungserinnerung zur Rechnung 4711\nBitte zahlen Sie bis Freitag.", "payment_reminder", "title"),
        (
            "Auftragsbestätigung Nr. 88\nDanke für Ihre Bestellung. Die Rechnung folgt mit der Lieferung.",
            "order_confirmation",
            "mention",
        ),
        ("Kassenbon\nBäckerei Korn\n2 Brötchen 0,80\nSumme 0,80 EUR", "receipt", "title"),
        (
            "Gutschrift Nr. 12\nWir schreiben Ihnen 50,00 EUR gut, sagt unser Büro.",
            "credit_note",
            "invoice_word",
        ),
        (
            "Rechnung Nr. 4711\n" + "Pos. 1 Papier 9,90\n" * 15 + "Newsletter\nZum Abmelden hier",
            "invoice",
            "invoice_word",
        ),
        (LETTER, "not_invoice", "no_invoice_word"),
    ],
)
def test_the_page_text_decides_by_rules(text: str, expected: str, basis: str) -> None:
    result = classify(page(), text)
    assert (result.document_class, result.basis) == (expected, basis)


@pytest.mark.parametrize(
    "text",
    [
        # An invoice names its delivery note, order and quote as references or labels.
        "Muster GmbH Rechnung\nLieferschein-Nr.: 4711\nGemäß Angebot Nr. 12 vom 01.02.\nSumme 100,00",
        "FACTURE\nN° BON DE LIVRAISON : DESPADV002\nTotal TTC 120,00",
        "Fattura n. 12/2024\nDDT: 55 del 02/03/2024\nTotale 100,00",
        "Faktura - daňový doklad\nDodací list: 2024017\nCelkem k úhradě 1 210,00 Kč",
        # Fake bold and letter spacing on the title.
        "RRReeeccchhhnnnuuunnnggg Nr. 4711\nDatum 01.02.2024\nSumme 100,00 EUR",
        "Lieferant Käufer K O S T E N R E C H N U N G Seite 1\nBeleg-Nr: 1\nSumme 10,00",
        "Handelsrechnung (380) Nr. 12 vom 15.11.2024\nSumme 198,00",
    ],
)
def test_an_invoice_that_names_other_documents_stays_an_invoice(text: str) -> None:
    assert classify_text(text).document_class == "invoice"


@pytest.mark.parametrize(
    "title",
    [
        "Gutschrift",
        "Credit Note",
        "Avoir",
        "Creditnota",
        "Nota di credito",
        "Factura rectificativa",
        "Faktura korygująca",
        "Dobropis",
    ],
)
def test_a_credit_note_is_bookable_as_a_credit_note(title: str) -> None:
    text = f"{title} Nr. 12\nzu Rechnung 4711 vom 01.02.2024\nBetrag 50,00"
    assert classify_text(text).document_class == "credit_note"


def test_a_letter_with_a_deadline_goes_to_review_as_not_an_invoice() -> None:
    agent = ValidationAgent(None, ValidationSettings(), None, None)
    result = agent.validate(page(), LETTER, document_id=None)
    assert result.document_class == "not_invoice"
    assert result.decision.status == "needs_review"
    assert [f.code for f in result.findings] == ["document.not_invoice"]
    assert "no word on the page calls it an invoice" in result.findings[0].message


def test_a_reminder_finding_names_the_class_and_the_deciding_words() -> None:
    agent = ValidationAgent(None, ValidationSettings(), None, None)
    finding = agent.validate(page(), REMINDER, document_id=None).findings[0]
    assert finding.code == "document.not_invoice"
    assert "payment reminder" in finding.message
    assert "“zahlungserinnerung”" in finding.message


@pytest.mark.parametrize("title_beside", [False, True], ids=["title_below", "title_beside_letterhead"])
def test_every_generated_non_invoice_is_recognised_with_its_class(title_beside: bool) -> None:
    samples = non_invoices(seed=1, title_beside=title_beside)
    assert {(s.language, s.document_class) for s in samples} == {
        (lang, kind) for lang in WORDING for kind in KINDS
    }
    taken_as_invoice, wrong_class = [], []
    for sample in samples:
        result = classify_text(page_text(read_pdf(sample.pdf)))
        if result.document_class in BOOKABLE:
            taken_as_invoice.append(sample.name)
        elif result.document_class != sample.document_class:
            wrong_class.append((sample.name, result.document_class))
    assert taken_as_invoice == []
    # Beside the letterhead a title with a number runs into the line ("… Albarán nº 12"): it still
    # reads as no invoice, not always as its own class.
    assert len(wrong_class) <= (len(samples) // 4 if title_beside else 0)


def _pdf_text(path: Path) -> str:
    """All pages' text as the read step stores it (read_pdf minus the slow table detection)."""
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return "\n".join(page.extract_text(layout=False) or "" for page in pdf.pages[:50])


@pytest.mark.parametrize("folder", ["invoices", "real"])
def test_no_corpus_pdf_is_misfiled_as_a_non_invoice(folder: str) -> None:
    paths = sorted((corpus_dir() / folder).glob("*.pdf"))
    assert paths
    misfiled = [
        (path.name, result.document_class, result.keywords)
        for path in paths
        if (result := classify_text(_pdf_text(path))).document_class not in BOOKABLE
    ]
    assert misfiled == []


def test_no_corpus_e_invoice_is_misfiled_as_a_non_invoice() -> None:
    invoices = corpus_invoices()
    assert len(invoices) > 200
    misfiled = [i.name for i in invoices if classify(i.result.invoice, "").document_class not in BOOKABLE]
    assert misfiled == []
