"""One crafted fault per finding code, each built from a corpus e-invoice (see `crafted`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agents.validation import KnownVendor, PriorInvoice
from schemas.invoice import Invoice
from tests.agents.validation.crafted import (
    BUYER,
    HEADER_TAX,
    IBAN,
    LINE_TAX,
    OTHER_IBAN,
    OTHER_VAT_ID,
    SELLER,
    SELLER_VAT_ID,
    SETTLEMENT,
    TOTALS,
    Case,
    craft,
    seen_on_page,
)

DOC = "//rsm:ExchangedDocument"
LINE_1 = "//ram:IncludedSupplyChainTradeLineItem[1]"
RATE_19 = f"{HEADER_TAX}[2]"
ISSUE = f"{DOC}/ram:IssueDateTime/udt:DateTimeString"
VA_ID = f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"
TAX_NUMBER = f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']"
BUYER_VAT_ID = (
    f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{OTHER_VAT_ID}</ram:ID>'
    "</ram:SpecifiedTaxRegistration>"
)
DUE_DATE = (
    '<ram:DueDateDateTime><udt:DateTimeString format="102">20241101</udt:DateTimeString>'
    "</ram:DueDateDateTime>"
)
PAGE_BODY = [
    "Kunden AG Mitte, Kundenstraße 15, 69876 Frankfurt",
    "Rechnung Nr. 471102 vom 15.11.2024 über 529,87 EUR",
    "Bitte überweisen Sie den Betrag auf unser Konto.",
]
ON_FILE_WITHOUT_IBAN = KnownVendor(id=1, name="Lieferant GmbH", vat_id=SELLER_VAT_ID, ibans=[])
ON_FILE_OTHER_VAT_ID = KnownVendor(id=1, name="Lieferant GmbH", vat_id=OTHER_VAT_ID, ibans=[IBAN])


def totals(tax: str, gross: str) -> dict[str, str | None]:
    return {
        f"{TOTALS}/ram:TaxTotalAmount": tax,
        f"{TOTALS}/ram:GrandTotalAmount": gross,
        f"{TOTALS}/ram:DuePayableAmount": gross,
    }


def rate_19_as(rate: str, tax: str, *, category: str = "S") -> dict[str, str | None]:
    """The 19 % line and rate row at another rate/category (totals: see `totals`)."""
    return {
        f"{LINE_1}//ram:RateApplicablePercent": rate,
        f"{LINE_1}//ram:ApplicableTradeTax/ram:CategoryCode": category,
        f"{RATE_19}/ram:RateApplicablePercent": rate,
        f"{RATE_19}/ram:CategoryCode": category,
        f"{RATE_19}/ram:CalculatedAmount": tax,
    }


def all_intra_eu() -> Invoice:
    return craft(
        {
            f"{LINE_TAX}/ram:CategoryCode": "K",
            f"{LINE_TAX}/ram:RateApplicablePercent": "0",
            f"{HEADER_TAX}/ram:CategoryCode": "K",
            f"{HEADER_TAX}/ram:RateApplicablePercent": "0",
            f"{HEADER_TAX}/ram:CalculatedAmount": "0.00",
        }
        | totals("0.00", "473.00")
    )


def without(*paths: str) -> Callable[[], Invoice]:
    return lambda: craft(dict.fromkeys(paths))


def low_confidence_gross() -> Invoice:
    invoice = seen_on_page(craft(), "gross_total")
    shaky = invoice.fields["gross_total"].model_copy(update={"confidence": 0.3})
    return invoice.model_copy(update={"fields": {**invoice.fields, "gross_total": shaky}})


def page(title: str) -> Case:
    """A page that calls itself `title` (the type code read from the page, not from XML)."""
    return Case(
        "document.not_invoice",
        lambda: seen_on_page(craft(), "document_type_code"),
        "\n".join([title, "Lieferant GmbH, Lieferantenstraße 20, 80333 München", *PAGE_BODY]),
    )


def earlier() -> list[PriorInvoice]:
    return [PriorInvoice(document_id=7, invoice=craft())]


CASES = [
    # arithmetic
    Case("arithmetic.lines_mismatch", lambda: craft({f"{LINE_1}//ram:LineTotalAmount": "189.00"})),
    Case("arithmetic.net_mismatch", lambda: craft({f"{TOTALS}/ram:AllowanceTotalAmount": "10.00"})),
    Case("arithmetic.gross_mismatch", lambda: craft(totals("56.87", "592.87"))),
    Case(
        "arithmetic.rate_tax_mismatch",
        lambda: craft({f"{RATE_19}/ram:CalculatedAmount": "36.72"} | totals("55.97", "528.97")),
    ),
    Case("arithmetic.breakdown_base_mismatch", lambda: craft({f"{HEADER_TAX}[1]/ram:BasisAmount": "257.00"})),
    Case("arithmetic.breakdown_tax_mismatch", lambda: craft({f"{TOTALS}/ram:TaxTotalAmount": "58.67"})),
    Case("arithmetic.due_mismatch", lambda: craft({f"{TOTALS}/ram:DuePayableAmount": "259.87"})),
    # VAT
    Case("vat.rate_invalid", lambda: craft(rate_19_as("16.00", "31.68") | totals("50.93", "523.93"))),
    Case("vat.rate_unknown", lambda: craft(rate_19_as("17.00", "33.66") | totals("52.91", "525.91"))),
    Case("vat.reverse_charge_tax", lambda: craft(rate_19_as("19.00", "37.62", category="AE"))),
    Case(
        "vat.reverse_charge_note_missing",
        lambda: craft(rate_19_as("0", "0.00", category="AE") | totals("19.25", "492.25")),
    ),
    Case("vat.intra_eu_vat_id_missing", all_intra_eu),
    # statutory content (§ 14 (4) UStG)
    Case("statutory.seller_name_missing", without(f"{SELLER}/ram:Name")),
    Case("statutory.seller_address_missing", without(f"{SELLER}/ram:PostalTradeAddress")),
    Case("statutory.buyer_name_missing", without(f"{BUYER}/ram:Name")),
    Case("statutory.buyer_address_missing", without(f"{BUYER}/ram:PostalTradeAddress")),
    Case("statutory.seller_tax_id_missing", without(f"{SELLER}/ram:SpecifiedTaxRegistration")),
    Case("statutory.issue_date_missing", without(f"{DOC}/ram:IssueDateTime")),
    Case("statutory.invoice_number_missing", without(f"{DOC}/ram:ID")),
    Case("statutory.quantity_description_missing", without(f"{LINE_1}//ram:SpecifiedTradeProduct/ram:Name")),
    Case("statutory.delivery_date_missing", without("//ram:ActualDeliverySupplyChainEvent")),
    Case("statutory.net_by_rate_missing", without(f"{HEADER_TAX}/ram:BasisAmount")),
    Case("statutory.tax_rate_missing", without(f"{HEADER_TAX}/ram:RateApplicablePercent")),
    Case(
        "statutory.tax_amount_missing",
        without(f"{HEADER_TAX}/ram:CalculatedAmount", f"{TOTALS}/ram:TaxTotalAmount"),
    ),
    # a small-amount invoice (§ 33 UStDV) must show the gross amount
    Case(
        "statutory.gross_total_missing",
        lambda: craft({f"{TOTALS}/ram:GrandTotalAmount": None, f"{TOTALS}/ram:DuePayableAmount": "200.00"}),
    ),
    # identifiers and the buyer
    Case("identifiers.vat_id_invalid", lambda: craft({VA_ID: "DE123456789"})),
    Case("identifiers.tax_number_invalid", lambda: craft({TAX_NUMBER: "12345"})),
    Case("identifiers.iban_invalid", lambda: craft(iban="DE23100000001234567891")),
    Case("identifiers.bic_invalid", lambda: craft(bic="COBADEFXXX")),
    Case(
        "buyer.vat_id_mismatch",
        lambda: craft(append={BUYER: BUYER_VAT_ID}),
        settings={"company_vat_id": "DE111111117"},
    ),
    Case("buyer.name_mismatch", craft, settings={"company_name": "Beispiel Handel GmbH"}),
    # dates and amounts
    Case("date.issue_in_future", lambda: craft({ISSUE: "20250301"})),
    Case("date.issue_too_old", lambda: craft({ISSUE: "20230105"})),
    Case(
        "date.due_before_issue",
        lambda: craft(append={f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms": DUE_DATE}),
    ),
    Case("amount.not_positive", lambda: craft(totals("56.87", "0.00"))),
    Case("currency.foreign", lambda: craft({f"{SETTLEMENT}/ram:InvoiceCurrencyCode": "USD"})),
    Case("confidence.low", low_confidence_gross),
    # document class: the page says what it is
    page("Zahlungserinnerung"),
    # duplicates
    Case("duplicate.same_number", lambda: craft({f"{DOC}/ram:ID": "471-102"}), history=earlier),
    Case("duplicate.near", lambda: craft({f"{DOC}/ram:ID": "471102-A", ISSUE: "20241120"}), history=earlier),
    # vendors
    Case("vendor.new", craft, vendors=list),
    Case("bank.changed", lambda: craft(iban=OTHER_IBAN)),
    Case("bank.unverified", craft, vendors=lambda: [ON_FILE_WITHOUT_IBAN]),
    Case("vendor.vat_id_changed", craft, vendors=lambda: [ON_FILE_OTHER_VAT_ID]),
]


def test_the_untouched_base_invoice_has_no_findings_and_is_ready() -> None:
    result = Case("", craft).run()
    assert result.findings == []
    assert result.decision.status == "ready"
    assert result.document_class == "invoice"


#: Oddities a person may want to see, but no reason to stop a document by default.
ADVISORY = {"date.due_before_issue"}


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_a_crafted_fault_raises_its_finding_and_goes_to_review(case: Case) -> None:
    result = case.run()
    codes = [f.code for f in result.findings]
    assert case.code in codes
    expected = "ready" if case.code in ADVISORY else "needs_review"
    assert result.decision.status == expected
    finding = next(f for f in result.findings if f.code == case.code)
    assert finding.message.endswith((".", "?"))
    assert finding.fields


def test_every_case_code_is_unique() -> None:
    codes = [c.code for c in CASES]
    assert len(codes) == len(set(codes)) == 44


def test_a_duplicate_names_the_earlier_document() -> None:
    case = next(c for c in CASES if c.code == "duplicate.same_number")
    finding = next(f for f in case.run().findings if f.code == "duplicate.same_number")
    assert "document #7" in finding.message
    assert finding.severity == "error"


def test_a_changed_bank_account_is_an_error_that_masks_the_known_iban() -> None:
    case = next(c for c in CASES if c.code == "bank.changed")
    finding = next(f for f in case.run().findings if f.code == "bank.changed")
    assert finding.severity == "error"
    assert OTHER_IBAN in finding.message
    assert IBAN not in finding.message  # the account on file is shown masked
