"""OASIS UBL 2.1 Invoice and CreditNote (EN 16931, XRechnung UBL, Peppol BIS 3.0) to the canonical invoice."""

from __future__ import annotations

from dataclasses import dataclass

from agents.einvoice.detect import NS_UBL_CREDITNOTE, NS_UBL_INVOICE
from agents.einvoice.parts import DIALECTS, SOURCES, allowance_charge, line_item, put_values, tax_breakdown
from agents.einvoice.values import Document, Element, unique
from schemas.invoice import AllowanceCharge, Invoice, LineItem, TaxBreakdown

_COMMON = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


@dataclass(frozen=True)
class Dialect:
    """The element names that differ between an Invoice and a CreditNote (`paths.toml`)."""

    ns: dict[str, str]
    type_code: str
    line: str
    sub_line: str
    quantity: str


INVOICE = Dialect(ns={**_COMMON, "doc": NS_UBL_INVOICE}, **DIALECTS["ubl"]["INVOICE"])
CREDIT_NOTE = Dialect(ns={**_COMMON, "doc": NS_UBL_CREDITNOTE}, **DIALECTS["ubl"]["CREDIT_NOTE"])
_PARTS = SOURCES["ubl"]

_PARTIES = {
    "seller": "cac:AccountingSupplierParty/cac:Party",
    "buyer": "cac:AccountingCustomerParty/cac:Party",
}


def profile_of(doc: Document) -> str | None:
    """The specification identifier (BT-24, `cbc:CustomizationID`)."""
    return doc.text(doc.root, "cbc:CustomizationID")


def read_ubl(doc: Document, dialect: Dialect) -> Invoice:
    """Map a UBL Invoice or CreditNote to the canonical invoice; header provenance goes to `doc.fields`."""
    _document_header(doc, dialect)
    for role, path in _PARTIES.items():
        _party(doc, role, doc.find(doc.root, path))
    _totals(doc)
    _payment(doc)
    return Invoice(
        **doc.header,
        ibans=_ibans(doc),
        notes=unique(doc.text(e) for e in doc.findall(doc.root, "cbc:Note")),
        line_items=[
            item for line in doc.findall(doc.root, dialect.line) for item in _lines(doc, line, dialect)
        ],
        tax_breakdown=[_tax(doc, sub) for sub in _tax_subtotals(doc)],
        allowances_charges=[
            _allowance_charge(doc, ac) for ac in doc.findall(doc.root, "cac:AllowanceCharge")
        ],
        fields=doc.fields,
    )


def _document_header(doc: Document, dialect: Dialect) -> None:
    root = doc.root
    put_values(doc, _PARTS["header"], {"root": root}, {"type_code": dialect.type_code})
    # A CreditNote has no cbc:DueDate; EN 16931 puts its due date on the payment means.
    element = doc.find(root, "cbc:DueDate")
    if element is None:
        element = doc.find(root, "cac:PaymentMeans/cbc:PaymentDueDate")
    doc.put("due_date", element, doc.date(element))
    put_values(doc, _PARTS["header_rest"], {"root": root}, {})


def _party(doc: Document, role: str, party: Element | None) -> None:
    element = doc.find(party, "cac:PartyLegalEntity/cbc:RegistrationName")
    if element is None:  # UBL before EN 16931 (Peppol BIS 2) may give the trading name only
        element = doc.find(party, "cac:PartyName/cbc:Name")
    doc.put(f"{role}_name", element, doc.text(element))
    for scheme in doc.findall(party, "cac:PartyTaxScheme"):
        element = doc.find(scheme, "cbc:CompanyID")
        # BT-31/BT-48 sit under the VAT scheme; any other scheme is the seller's tax number (BT-32).
        is_vat = (doc.text(scheme, "cac:TaxScheme/cbc:ID") or "").upper() == "VAT"
        if is_vat and f"{role}_vat_id" not in doc.header:
            doc.put(f"{role}_vat_id", element, doc.code(element))
        elif not is_vat and role == "seller" and "seller_tax_number" not in doc.header:
            doc.put("seller_tax_number", element, doc.text(element))
    address = doc.find(party, "cac:PostalAddress")
    element = doc.find(address, "cac:Country/cbc:IdentificationCode")
    doc.put(f"{role}_country", element, doc.code(element))
    parts = [doc.text(address, p) for p in ("cbc:StreetName", "cbc:AdditionalStreetName", "cbc:PostalZone")]
    parts.append(doc.text(address, "cbc:CityName"))
    doc.header[f"{role}_address"] = ", ".join(p for p in parts if p) or None


def _totals(doc: Document) -> None:
    put_values(doc, _PARTS["totals"], {"totals": doc.find(doc.root, "cac:LegalMonetaryTotal")}, {})
    currency = doc.header.get("currency")
    # BT-110 is the TaxTotal in the document currency; a second one may give BT-111 (accounting currency).
    for element in doc.findall(doc.root, "cac:TaxTotal/cbc:TaxAmount"):
        if element.get("currencyID") in (None, currency):
            doc.put("tax_total", element, doc.amount(element))
            break


def _payment(doc: Document) -> None:
    accounts = doc.findall(doc.root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")
    if accounts:
        doc.put("iban", accounts[0], doc.code(accounts[0]))
    bic = doc.find(
        doc.root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    doc.put("bic", bic, doc.code(bic))
    payer = doc.find(doc.root, "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")
    doc.put("payer_iban", payer, doc.code(payer))
    means_code = doc.find(doc.root, "cac:PaymentMeans/cbc:PaymentMeansCode")
    doc.put("payment_means_code", means_code, doc.code(means_code))
    terms = doc.find(doc.root, "cac:PaymentTerms/cbc:Note")
    doc.put("payment_terms", terms, doc.text(terms))


def _ibans(doc: Document) -> list[str]:
    path = "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"
    return unique(doc.code(e) for e in doc.findall(doc.root, path))


def _lines(doc: Document, line: Element, dialect: Dialect, parent: str | None = None) -> list[LineItem]:
    """The line and, depth first, its XRechnung sub-lines, which detail it without adding to the total."""
    item = _line(doc, line, dialect, parent)
    subs = [
        sub
        for child in doc.findall(line, dialect.sub_line)
        for sub in _lines(doc, child, dialect, item.line_id)
    ]
    return [item, *subs]


def _line(doc: Document, line: Element, dialect: Dialect, parent: str | None) -> LineItem:
    anchors = {
        "line": line,
        "quantity": doc.find(line, dialect.quantity),
        "price": doc.find(line, "cac:Price"),
        "tax": doc.find(line, "cac:Item/cac:ClassifiedTaxCategory"),
    }
    return line_item(
        doc, _PARTS["line"], anchors, {}, parent_line_id=parent, informational=parent is not None
    )


def _tax_subtotals(doc: Document) -> list[Element]:
    currency = doc.header.get("currency")
    for total in doc.findall(doc.root, "cac:TaxTotal"):
        subtotals = doc.findall(total, "cac:TaxSubtotal")
        amount = doc.find(total, "cbc:TaxAmount")
        if subtotals and (amount is None or amount.get("currencyID") in (None, currency)):
            return subtotals
    return []


def _tax(doc: Document, subtotal: Element) -> TaxBreakdown:
    anchors = {"subtotal": subtotal, "category": doc.find(subtotal, "cac:TaxCategory")}
    return tax_breakdown(doc, _PARTS["tax"], anchors, {})


def _allowance_charge(doc: Document, ac: Element) -> AllowanceCharge:
    return allowance_charge(doc, _PARTS["allowance_charge"], ac, {})
