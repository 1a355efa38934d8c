"""UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD 1.0 and 2.x, XRechnung CII) to the canonical invoice.

ZUGFeRD 1.0 is the same model in an older CII draft whose containers carry other names; a `Dialect`
names the containers (`paths.toml`), so one mapping reads both.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.einvoice.detect import NS_CII, NS_ZUGFERD1
from agents.einvoice.parts import DIALECTS, SOURCES, allowance_charge, line_item, put_values, tax_breakdown
from agents.einvoice.values import Document, Element, unique
from schemas.invoice import AllowanceCharge, Invoice, LineItem, TaxBreakdown

#: EXTENDED line status codes for lines whose amount is not part of the invoice total.
INFORMATIONAL_STATUS = frozenset({"GROUP", "INFORMATION"})


@dataclass(frozen=True)
class Dialect:
    ns: dict[str, str]
    context: str
    document: str
    transaction: str
    agreement: str
    delivery: str
    settlement: str
    summation: str
    line_agreement: str
    line_delivery: str
    line_settlement: str
    line_summation: str
    rate: str
    order_id: str


CII = Dialect(
    ns={
        "rsm": NS_CII,
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
        "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    },
    **DIALECTS["cii"]["CII"],
)
ZUGFERD1 = Dialect(
    ns={
        "rsm": NS_ZUGFERD1,
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
    },
    **DIALECTS["cii"]["ZUGFERD1"],
)
_PARTS = SOURCES["cii"]


def profile_of(doc: Document, dialect: Dialect) -> str | None:
    """The guideline (specification identifier, BT-24): the profile, e.g. `urn:factur-x.eu:1p0:basicwl`."""
    return doc.text(doc.root, f"{dialect.context}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")


def read_cii(doc: Document, dialect: Dialect) -> Invoice:
    """Map a CII document to the canonical invoice; header provenance goes to `doc.fields`."""
    transaction = doc.find(doc.root, dialect.transaction)
    settlement = doc.find(transaction, dialect.settlement)
    put_values(doc, _PARTS["header"], {"document": doc.find(doc.root, dialect.document)}, {})
    _parties(doc, doc.find(transaction, dialect.agreement), dialect)
    _dates(doc, transaction, settlement, dialect)
    _summation(doc, settlement, dialect)
    _payment(doc, settlement)
    lines = doc.findall(transaction, "ram:IncludedSupplyChainTradeLineItem")
    return Invoice(
        **doc.header,
        notes=_notes(doc, dialect, [line for line in lines if _is_note_line(doc, line, dialect)]),
        line_items=[_line(doc, line, dialect) for line in lines if not _is_note_line(doc, line, dialect)],
        tax_breakdown=[_tax(doc, tax, dialect) for tax in doc.findall(settlement, "ram:ApplicableTradeTax")],
        allowances_charges=[
            *(
                _allowance_charge(doc, ac, dialect)
                for ac in doc.findall(settlement, "ram:SpecifiedTradeAllowanceCharge")
            ),
            *(
                _logistics_charge(doc, lc, dialect)
                for lc in doc.findall(settlement, "ram:SpecifiedLogisticsServiceCharge")
            ),
        ],
        fields=doc.fields,
    )


def _parties(doc: Document, agreement: Element | None, dialect: Dialect) -> None:
    for role, party_path in (("seller", "ram:SellerTradeParty"), ("buyer", "ram:BuyerTradeParty")):
        party = doc.find(agreement, party_path)
        element = doc.find(party, "ram:Name")
        doc.put(f"{role}_name", element, doc.text(element))
        element = doc.find(party, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
        doc.put(f"{role}_vat_id", element, doc.code(element))
        element = doc.find(party, "ram:PostalTradeAddress/ram:CountryID")
        doc.put(f"{role}_country", element, doc.code(element))
        doc.header[f"{role}_address"] = _address(doc, doc.find(party, "ram:PostalTradeAddress"))
    put_values(doc, _PARTS["agreement"], {"agreement": agreement}, _names(dialect))


def _address(doc: Document, address: Element | None) -> str | None:
    parts = [
        doc.text(address, path)
        for path in ("ram:LineOne", "ram:LineTwo", "ram:LineThree", "ram:PostcodeCode", "ram:CityName")
    ]
    joined = ", ".join(part for part in parts if part)
    return joined or None


def _dates(doc: Document, transaction: Element | None, settlement: Element | None, dialect: Dialect) -> None:
    put_values(doc, _PARTS["dates"], {"transaction": transaction, "settlement": settlement}, _names(dialect))
    terms = [doc.text(t) for t in doc.findall(settlement, "ram:SpecifiedTradePaymentTerms/ram:Description")]
    first_terms = doc.find(settlement, "ram:SpecifiedTradePaymentTerms/ram:Description")
    doc.put("payment_terms", first_terms, "\n".join(t for t in terms if t) or None)


def _summation(doc: Document, settlement: Element | None, dialect: Dialect) -> None:
    element = doc.find(settlement, "ram:InvoiceCurrencyCode")
    currency = doc.code(element)
    doc.put("currency", element, currency)
    summation = doc.find(settlement, dialect.summation)
    put_values(doc, _PARTS["totals"], {"summation": summation}, {})
    element = _in_currency(doc, doc.findall(summation, "ram:TaxTotalAmount"), currency)
    doc.put("tax_total", element, doc.amount(element))


def _in_currency(doc: Document, elements: list[Element], currency: str | None) -> Element | None:
    """The amount in the invoice currency: BT-110, not BT-111 (VAT in accounting currency)."""
    for element in elements:
        if element.get("currencyID") in (None, currency):
            return element
    return elements[0] if elements else None


def _payment(doc: Document, settlement: Element | None) -> None:
    means = doc.findall(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    payee = [
        e for m in means if (e := _account(doc, m, "ram:PayeePartyCreditorFinancialAccount")) is not None
    ]
    first_of = {
        "iban": payee,
        "payer_iban": [
            e for m in means if (e := _account(doc, m, "ram:PayerPartyDebtorFinancialAccount")) is not None
        ],
        "bic": [
            e
            for m in means
            for e in doc.findall(m, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID")
        ],
        "payment_means_code": [e for m in means for e in doc.findall(m, "ram:TypeCode")],
    }
    for name, elements in first_of.items():
        if elements:
            doc.put(name, elements[0], doc.code(elements[0]))
    doc.header["ibans"] = unique(doc.code(e) for e in payee)


def _account(doc: Document, means: Element, path: str) -> Element | None:
    """The account identifier (BT-84/BT-91): the IBAN, else the proprietary account number."""
    account = doc.find(means, path)
    iban = doc.find(account, "ram:IBANID")
    return iban if iban is not None else doc.find(account, "ram:ProprietaryID")


def _is_note_line(doc: Document, line: Element, dialect: Dialect) -> bool:
    """A ZUGFeRD 1.0 free-text line: a note in line position with no product, quantity or amount."""
    return (
        doc.find(line, "ram:SpecifiedTradeProduct") is None
        and doc.find(line, f"{dialect.line_delivery}/ram:BilledQuantity") is None
        and doc.find(line, f"{dialect.line_settlement}/{dialect.line_summation}") is None
    )


def _notes(doc: Document, dialect: Dialect, note_lines: list[Element]) -> list[str]:
    """Document notes (BT-22), then the text of free-text lines, which are notes too."""
    elements = doc.findall(doc.root, f"{dialect.document}/ram:IncludedNote/ram:Content")
    elements += [e for line in note_lines for e in doc.findall(line, ".//ram:IncludedNote/ram:Content")]
    return unique(doc.text(e) for e in elements)


def _line(doc: Document, line: Element, dialect: Dialect) -> LineItem:
    agreement = doc.find(line, dialect.line_agreement)
    settlement = doc.find(line, dialect.line_settlement)
    anchors = {
        "line": line,
        "document": doc.find(line, "ram:AssociatedDocumentLineDocument"),
        "agreement": agreement,
        "net_price": doc.find(agreement, "ram:NetPriceProductTradePrice"),
        "quantity": doc.find(line, f"{dialect.line_delivery}/ram:BilledQuantity"),
        "settlement": settlement,
        "tax": doc.find(settlement, "ram:ApplicableTradeTax"),
    }
    status = doc.text(anchors["document"], "ram:LineStatusReasonCode")
    return line_item(
        doc,
        _PARTS["line"],
        anchors,
        _names(dialect),
        line_status=status,
        informational=status in INFORMATIONAL_STATUS,
    )


def _tax(doc: Document, tax: Element, dialect: Dialect) -> TaxBreakdown:
    return tax_breakdown(doc, _PARTS["tax"], {"tax": tax}, _names(dialect))


def _allowance_charge(doc: Document, ac: Element, dialect: Dialect) -> AllowanceCharge:
    return allowance_charge(doc, _PARTS["allowance_charge"], ac, _names(dialect))


def _logistics_charge(doc: Document, charge: Element, dialect: Dialect) -> AllowanceCharge:
    return allowance_charge(doc, _PARTS["logistics_charge"], charge, _names(dialect), is_charge=True)


def _names(dialect: Dialect) -> dict[str, str]:
    return {name: value for name, value in vars(dialect).items() if isinstance(value, str)}
