"""Crafted faults: a clean corpus e-invoice with one value changed, read by the real e-invoice reader.

Editing the XML rather than the canonical invoice keeps extraction exact and the fault realistic:
what the validation sees is what the reader makes of a faulty file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from lxml import etree

from agents.einvoice import find_xml_in_pdf, read_einvoice
from agents.validation import KnownVendor, PriorInvoice, ValidationAgent, ValidationResult
from agents.validation.memory import MemoryHistory, MemoryVendors
from agents.validation.settings import ValidationSettings
from schemas.invoice import FieldSource, Invoice
from tests.corpus import corpus_dir

#: A German EN 16931 invoice over two rates (7 % and 19 %) with a delivery date and 529.87 EUR gross.
BASE_PDF = "ZF2.3__EN16931_Einfach.pdf"
TODAY = date(2025, 1, 15)
#: Fictitious identifiers with valid check digits (the sample's own VAT ID has none).
SELLER_VAT_ID = "DE123456788"
OTHER_VAT_ID = "DE987654328"
IBAN = "DE23100000001234567890"
OTHER_IBAN = "DE28100000009876543210"

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
TOTALS = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
SELLER = "//ram:SellerTradeParty"
BUYER = "//ram:BuyerTradeParty"
HEADER_TAX = f"{SETTLEMENT}/ram:ApplicableTradeTax"
LINE_TAX = "//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"
#: Set each matching element's text; None removes the element.
Edits = Mapping[str, str | None]


@lru_cache(maxsize=1)
def base_xml() -> bytes:
    found = find_xml_in_pdf((corpus_dir() / "invoices" / BASE_PDF).read_bytes())
    assert found is not None
    return found[1]


def payment_means(iban: str, bic: str | None = None) -> str:
    institution = (
        f"<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>{bic}</ram:BICID>"
        "</ram:PayeeSpecifiedCreditorFinancialInstitution>"
        if bic
        else ""
    )
    return (
        "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>"
        f"<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{iban}</ram:IBANID>"
        f"</ram:PayeePartyCreditorFinancialAccount>{institution}</ram:SpecifiedTradeSettlementPaymentMeans>"
    )


def craft(
    edits: Edits | None = None,
    *,
    iban: str | None = IBAN,
    bic: str | None = None,
    append: Mapping[str, str] | None = None,
) -> Invoice:
    """The base invoice with a valid seller VAT ID and `iban`, then `edits` applied, read exactly."""
    return read_einvoice(craft_xml(edits, iban=iban, bic=bic, append=append)).invoice


def craft_xml(
    edits: Edits | None = None,
    *,
    iban: str | None = IBAN,
    bic: str | None = None,
    append: Mapping[str, str] | None = None,
) -> bytes:
    """The crafted XML itself (see `craft`).

    `append` maps a parent element's path to an XML fragment (using the `ram`/`udt` prefixes) added
    as its last child.
    """
    root = etree.fromstring(base_xml())
    _apply(root, {f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']": SELLER_VAT_ID})
    if iban:
        currency = _elements(root, f"{SETTLEMENT}/ram:InvoiceCurrencyCode")[0]
        currency.addnext(etree.fromstring(_declared(payment_means(iban, bic))))
    for parent, fragment in (append or {}).items():
        _elements(root, parent)[0].append(etree.fromstring(_declared(fragment)))
    _apply(root, edits or {})
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _declared(fragment: str) -> str:
    """The fragment with the namespace declarations its prefixes need."""
    tag_end = fragment.index(">")
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
    head = fragment[:tag_end].rstrip("/")
    return f"{head} {declarations}{fragment[len(head) :]}"


def _elements(root: etree._Element, path: str) -> list[etree._Element]:
    found = root.xpath(path, namespaces=NS)
    nodes = [node for node in found if isinstance(node, etree._Element)] if isinstance(found, list) else []
    assert nodes, f"nothing at {path}"
    return nodes


def _apply(root: etree._Element, edits: Edits) -> None:
    for path, value in edits.items():
        for node in _elements(root, path):
            parent = node.getparent()
            if value is None and parent is not None:
                parent.remove(node)
            else:
                node.text = value


def seen_on_page(invoice: Invoice, *names: str) -> Invoice:
    """The same values, as if the extraction agent had read them from the page."""
    fields = dict(invoice.fields)
    for name in names:
        fields[name] = FieldSource(confidence=0.9, kind="page", source="crafted")
    return invoice.model_copy(update={"fields": fields})


def base_vendor() -> KnownVendor:
    return KnownVendor(id=1, name="Lieferant GmbH", vat_id=SELLER_VAT_ID, ibans=[IBAN])


@dataclass(frozen=True)
class Case:
    """One crafted fault and the finding code it must raise."""

    code: str
    invoice: Callable[[], Invoice]
    text: str = ""
    settings: Mapping[str, object] = field(default_factory=dict)
    history: Callable[[], list[PriorInvoice]] = list
    vendors: Callable[[], list[KnownVendor]] = lambda: [base_vendor()]

    def run(self) -> ValidationResult:
        settings = ValidationSettings.model_validate(self.settings)
        history, vendors = MemoryHistory(self.history()), MemoryVendors(self.vendors())
        agent = ValidationAgent(None, settings, history, vendors, clock=lambda: TODAY)
        return agent.validate(self.invoice(), self.text, document_id=99)
