"""What a reading carries besides the values: provenance, syntax, profile, credit notes, sub-lines."""

from __future__ import annotations

from decimal import Decimal

from agents.einvoice import find_xml_in_pdf, read_einvoice
from schemas.invoice import HEADER_FIELDS
from tests.agents.einvoice.files import corpus_xml, hybrid_pdfs


def _hybrid(name_part: str) -> bytes:
    path = next(p for p in hybrid_pdfs() if name_part in p.name)
    found = find_xml_in_pdf(path.read_bytes())
    assert found is not None
    return found[1]


def test_every_header_value_has_xml_provenance() -> None:
    result = read_einvoice(corpus_xml("CEN__cii_examples_CII_example2.xml"))
    invoice = result.invoice

    present = [name for name in HEADER_FIELDS if getattr(invoice, name) is not None]

    assert set(present) <= set(invoice.fields)
    assert all(source.kind == "xml" and source.confidence == 1.0 for source in invoice.fields.values())
    assert invoice.fields["gross_total"].source == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        "/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount"
    )


def test_ubl_credit_note_is_read_with_its_type_code() -> None:
    result = read_einvoice(corpus_xml("CEN__ubl_examples_ubl-tc434-creditnote1.xml"))

    assert result.syntax == "UBL"
    assert result.invoice.document_type_code == "381"
    assert result.invoice.line_items
    assert result.invoice.fields["invoice_number"].source == "/CreditNote/cbc:ID"


def test_zugferd_1_is_read_as_cii_with_its_profile() -> None:
    result = read_einvoice(_hybrid("ZF1.0__ZUGFeRD_1p0_COMFORT_Einfach"))

    assert result.syntax == "CII"
    assert result.profile == "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"
    assert result.invoice.gross_total is not None
    assert [f for f in result.findings if f.severity == "error"] == []


def test_zugferd_1_free_text_lines_become_notes() -> None:
    invoice = read_einvoice(_hybrid("ZF1.0__ZUGFeRD_1p0_BASIC_Rechnungskorrektur")).invoice

    assert all(line.net_amount is not None for line in invoice.line_items)
    assert any("Reklamationsschreiben" in note for note in invoice.notes)


def test_ubl_sub_lines_are_kept_as_informational_children() -> None:
    invoice = read_einvoice(corpus_xml("KOSIT__04.01a-INVOICE_ubl.xml")).invoice

    top = [line for line in invoice.line_items if line.parent_line_id is None]
    subs = [line for line in invoice.line_items if line.parent_line_id is not None]

    assert subs
    assert all(line.informational for line in subs)
    assert sum((line.net_amount or Decimal(0) for line in top), Decimal(0)) == invoice.line_total


def test_extended_group_lines_are_informational_and_details_count() -> None:
    invoice = read_einvoice(_hybrid("SubInvoiceLines_Buero_Material_Bsp3")).invoice

    counted = [line for line in invoice.line_items if not line.informational]

    assert {line.line_status for line in invoice.line_items if line.informational} == {"GROUP"}
    assert sum((line.net_amount or Decimal(0) for line in counted), Decimal(0)) == invoice.line_total


def test_freight_of_extended_profile_is_a_charge() -> None:
    invoice = read_einvoice(_hybrid("ZF2.4__EXTENDED_Warenrechnung_fx")).invoice

    charges = sum((ac.amount for ac in invoice.allowances_charges if ac.is_charge), Decimal(0))

    assert charges == invoice.charge_total
