"""Hybrid PDFs: the attachment is found only when it is an invoice, and the page is checked against it."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pikepdf
import pytest
from lxml import etree

from agents.einvoice import compare_with_page, find_xml_in_pdf, read_einvoice
from app.errors import EInvoiceError
from schemas.invoice import Invoice
from tests.agents.einvoice.files import BILLION_LAUGHS, corpus_xml, hybrid_pdfs

RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


def _pdf_with_attachments(files: dict[str, bytes]) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    for name, content in files.items():
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, content, filename=name)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_pdf_with_only_non_invoice_attachments_has_no_invoice_xml() -> None:
    data = _pdf_with_attachments(
        {
            "factur-x.xml": b"<delivery-note><item>Not an invoice</item></delivery-note>",
            "metadata.xml": b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
            "logo.png": b"\x89PNG\r\n\x1a\n",
        }
    )

    assert find_xml_in_pdf(data) is None


def test_pdf_without_attachments_and_non_pdf_bytes_have_no_invoice_xml() -> None:
    assert find_xml_in_pdf(_pdf_with_attachments({})) is None
    assert find_xml_in_pdf(b"this is no PDF") is None


def test_invoice_xml_under_a_non_standard_name_is_found() -> None:
    ubl = corpus_xml("CEN__ubl_examples_ubl-tc434-example1.xml")
    data = _pdf_with_attachments({"notes.txt": b"hello", "invoice-ubl.xml": ubl})

    assert find_xml_in_pdf(data) == ("invoice-ubl.xml", ubl)


def test_standard_name_wins_over_other_invoice_like_attachments() -> None:
    cii = corpus_xml("CEN__cii_examples_CII_example2.xml")
    other = corpus_xml("CEN__cii_examples_CII_example1.xml")
    data = _pdf_with_attachments({"additional-data.xml": other, "factur-x.xml": cii})

    assert find_xml_in_pdf(data) == ("factur-x.xml", cii)


def test_hostile_invoice_xml_inside_a_pdf_is_refused_when_read() -> None:
    data = _pdf_with_attachments({"factur-x.xml": BILLION_LAUGHS})

    found = find_xml_in_pdf(data)

    assert found is not None
    with pytest.raises(EInvoiceError, match="DTD"):
        read_einvoice(found[1])


def _hybrid_xml() -> bytes:
    path = next(p for p in hybrid_pdfs() if "EN_16931" in p.name)
    found = find_xml_in_pdf(path.read_bytes())
    assert found is not None
    return found[1]


def _page_as_printed(invoice: Invoice) -> Invoice:
    """The page a careful generator would print for this invoice, spelled as people print it."""
    return Invoice(
        invoice_number=f" {invoice.invoice_number} ",
        issue_date=invoice.issue_date,
        gross_total=invoice.gross_total,
        amount_due=invoice.amount_due,
        tax_total=invoice.tax_total,
        iban=" ".join((invoice.iban or "")[i : i + 4] for i in range(0, len(invoice.iban or ""), 4)),
        seller_vat_id=(invoice.seller_vat_id or "").lower(),
    )


def test_page_agreeing_with_its_xml_gives_no_mismatch() -> None:
    invoice = read_einvoice(_hybrid_xml()).invoice

    assert compare_with_page(invoice, _page_as_printed(invoice)) == []


def test_hybrid_whose_xml_was_changed_disagrees_with_its_page() -> None:
    original = read_einvoice(_hybrid_xml()).invoice
    page = _page_as_printed(original)
    root = etree.fromstring(_hybrid_xml())
    grand_total = root.find(f".//{{{RAM}}}GrandTotalAmount")
    assert grand_total is not None
    assert grand_total.text
    grand_total.text = str(Decimal(grand_total.text) + 100)

    tampered = read_einvoice(etree.tostring(root)).invoice
    findings = compare_with_page(tampered, page)

    assert [(f.code, f.fields) for f in findings] == [("einvoice.page_mismatch", ["gross_total"])]
    assert str(original.gross_total) in findings[0].message


def test_page_mismatch_on_every_key_field() -> None:
    xml = Invoice(
        invoice_number="R-1",
        issue_date=date(2025, 1, 2),
        due_date=date(2025, 2, 1),
        net_total=Decimal("100.00"),
        tax_total=Decimal("19.00"),
        gross_total=Decimal("119.00"),
        amount_due=Decimal("119.00"),
        iban="DE02120300000000202051",
        ibans=["DE02120300000000202051"],
        seller_vat_id="DE123456789",
    )
    page = Invoice(
        invoice_number="R-2",
        issue_date=date(2025, 1, 3),
        due_date=date(2025, 2, 2),
        net_total=Decimal("100.01"),
        tax_total=Decimal("19.01"),
        gross_total=Decimal("119.01"),
        amount_due=Decimal("119.01"),
        iban="DE02500105170137075030",
        seller_vat_id="DE987654321",
    )

    fields = [f.fields[0] for f in compare_with_page(xml, page)]

    assert sorted(fields) == sorted(
        [
            *("invoice_number", "issue_date", "due_date", "net_total", "tax_total", "gross_total"),
            *("amount_due", "iban", "seller_vat_id"),
        ]
    )


def test_fields_missing_on_either_side_and_credit_note_signs_are_no_mismatch() -> None:
    xml = Invoice(document_type_code="381", gross_total=Decimal("50.00"), due_date=None, invoice_number="G-1")
    page = Invoice(gross_total=Decimal("-50.00"), due_date=date(2025, 3, 1), invoice_number=None)

    assert compare_with_page(xml, page) == []
