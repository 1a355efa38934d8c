"""Each business rule fires when one amount of a valid corpus invoice is changed, in CII and in UBL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from agents.einvoice import read_einvoice
from schemas.finding import Finding
from tests.agents.einvoice.files import corpus_xml

#: The same valid invoice (with allowances, charges, prepaid amount, three VAT rates) in both syntaxes.
CII_FILE = "CEN__cii_examples_CII_example2.xml"
UBL_FILE = "CEN__ubl_examples_ubl-tc434-example2.xml"
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CII_SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
CII_SUM = f"{CII_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
UBL_SUM = "cac:LegalMonetaryTotal"

#: rule -> (element changed in CII, the same element in UBL)
RULE_TARGETS = {
    "BR-CO-10": (f"{CII_SUM}/ram:LineTotalAmount", f"{UBL_SUM}/cbc:LineExtensionAmount"),
    "BR-CO-11": (f"{CII_SUM}/ram:AllowanceTotalAmount", f"{UBL_SUM}/cbc:AllowanceTotalAmount"),
    "BR-CO-12": (f"{CII_SUM}/ram:ChargeTotalAmount", f"{UBL_SUM}/cbc:ChargeTotalAmount"),
    "BR-CO-13": (f"{CII_SUM}/ram:TaxBasisTotalAmount", f"{UBL_SUM}/cbc:TaxExclusiveAmount"),
    "BR-CO-14": (f"{CII_SUM}/ram:TaxTotalAmount", "cac:TaxTotal/cbc:TaxAmount"),
    "BR-CO-15": (f"{CII_SUM}/ram:GrandTotalAmount", f"{UBL_SUM}/cbc:TaxInclusiveAmount"),
    "BR-CO-16": (f"{CII_SUM}/ram:DuePayableAmount", f"{UBL_SUM}/cbc:PayableAmount"),
    "BR-CO-17": (
        f"{CII_SETTLEMENT}/ram:ApplicableTradeTax/ram:CalculatedAmount",
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount",
    ),
    "BR-S-08": (
        f"{CII_SETTLEMENT}/ram:ApplicableTradeTax/ram:BasisAmount",
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount",
    ),
}
SYNTAXES = {"CII": (CII_FILE, 0), "UBL": (UBL_FILE, 1)}


def _tree(syntax: str) -> etree._Element:
    return etree.fromstring(corpus_xml(SYNTAXES[syntax][0]))


def _element(root: etree._Element, path: str) -> etree._Element:
    found = root.find(path, NS)
    assert found is not None, path
    return found


def _add(root: etree._Element, path: str, delta: str) -> bytes:
    element = _element(root, path)
    element.text = str(Decimal(element.text or "0") + Decimal(delta))
    return etree.tostring(root)


def _codes(findings: list[Finding], severity: str = "error") -> set[str]:
    return {f.code for f in findings if f.severity == severity}


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_unchanged_invoice_has_no_findings(syntax: str) -> None:
    assert read_einvoice(etree.tostring(_tree(syntax))).findings == []


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize("rule", RULE_TARGETS)
def test_rule_fires_on_changed_amount(rule: str, syntax: str) -> None:
    path = RULE_TARGETS[rule][SYNTAXES[syntax][1]]

    findings = read_einvoice(_add(_tree(syntax), path, "10.00")).findings

    assert f"einvoice.{rule}" in _codes(findings)
    assert any(rule in f.message for f in findings)


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_one_cent_difference_is_a_rounding_warning(syntax: str) -> None:
    path = RULE_TARGETS["BR-CO-15"][SYNTAXES[syntax][1]]

    findings = read_einvoice(_add(_tree(syntax), path, "0.01")).findings

    assert "einvoice.BR-CO-15" in _codes(findings, "warning")
    assert "einvoice.BR-CO-15" not in _codes(findings)


@pytest.mark.parametrize(
    ("syntax", "path", "rule"),
    [
        (
            "CII",
            "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:Name",
            "BR-06",
        ),
        ("UBL", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", "BR-06"),
        ("CII", "rsm:ExchangedDocument/ram:ID", "BR-02"),
        ("UBL", "cbc:DocumentCurrencyCode", "BR-05"),
    ],
)
def test_missing_mandatory_term_is_reported(syntax: str, path: str, rule: str) -> None:
    root = _tree(syntax)
    element = _element(root, path)
    parent = element.getparent()
    assert parent is not None
    parent.remove(element)

    findings = read_einvoice(etree.tostring(root)).findings

    assert any(f.code == "einvoice.mandatory_missing" and f.message.startswith(rule) for f in findings)


def test_invoice_without_lines_breaks_br_16_unless_its_profile_has_none() -> None:
    root = _tree("CII")
    transaction = _element(root, "rsm:SupplyChainTradeTransaction")
    for line in transaction.findall("ram:IncludedSupplyChainTradeLineItem", NS):
        transaction.remove(line)
    en16931 = read_einvoice(etree.tostring(root)).findings
    _element(
        root, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
    ).text = "urn:factur-x.eu:1p0:basicwl"
    basic_wl = read_einvoice(etree.tostring(root)).findings

    assert any(f.message.startswith("BR-16") for f in en16931)
    assert not any(f.message.startswith("BR-16") for f in basic_wl)


def test_amount_that_is_no_number_is_a_finding_not_a_crash() -> None:
    root = _tree("CII")
    _element(root, f"{CII_SUM}/ram:GrandTotalAmount").text = "1.234,50"

    result = read_einvoice(etree.tostring(root))

    assert result.invoice.gross_total is None
    assert "einvoice.bad_value" in _codes(result.findings)


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_schema_violation_is_an_xsd_warning(syntax: str) -> None:
    root = _tree(syntax)
    etree.SubElement(root, f"{{{root.nsmap[root.prefix]}}}Unexpected").text = "x"

    findings = read_einvoice(etree.tostring(root)).findings

    assert "einvoice.xsd" in _codes(findings, "warning")
