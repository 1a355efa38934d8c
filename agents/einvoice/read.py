"""Reading one e-invoice XML: parse safely, map to the canonical invoice, validate."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agents.einvoice import cii, ubl
from agents.einvoice.detect import Flavor, flavor_of
from agents.einvoice.profiles import level_of
from agents.einvoice.rules import check_rules
from agents.einvoice.values import Document, Element
from agents.einvoice.xmlsafe import parse_xml
from agents.einvoice.xsd import check_xsd
from agents.errors import EInvoiceError
from schemas.finding import Finding
from schemas.invoice import Invoice

Syntax = Literal["CII", "UBL"]


class EInvoiceResult(BaseModel):
    invoice: Invoice
    #: ZUGFeRD 1.0 counts as CII: the same UN/CEFACT model in an earlier draft.
    syntax: Syntax
    #: The specification identifier (BT-24): guideline / customization id, e.g. an XRechnung URN.
    profile: str | None
    #: XSD and EN 16931 business rule findings, each with its rule id in the code.
    findings: list[Finding] = Field(default_factory=list)


def read_einvoice(xml: bytes) -> EInvoiceResult:
    """Read a CII, ZUGFeRD 1.0 or UBL invoice exactly, with XSD and business rule findings.

    Raises `EInvoiceError` for malformed XML, XML with a DTD (XXE, entity bombs) and root elements
    that are no supported invoice.
    """
    root = parse_xml(xml)
    flavor = flavor_of(str(root.tag))
    if flavor is None:
        raise EInvoiceError(
            f"The XML is not a supported e-invoice: its root element is {_local_name(str(root.tag))!r}, "
            "expected a UN/CEFACT CrossIndustryInvoice (ZUGFeRD, Factur-X, XRechnung) "
            "or a UBL Invoice/CreditNote."
        )
    invoice, syntax, profile, doc = _map(root, flavor)
    level = level_of(profile)
    findings = [
        *doc.findings,
        *check_xsd(root, flavor, level),
        *check_rules(invoice, profile, en16931=flavor != "zugferd1"),
    ]
    return EInvoiceResult(invoice=invoice, syntax=syntax, profile=profile, findings=findings)


def _map(root: Element, flavor: Flavor) -> tuple[Invoice, Syntax, str | None, Document]:
    if flavor in ("cii", "zugferd1"):
        dialect = cii.CII if flavor == "cii" else cii.ZUGFERD1
        doc = Document(root, dialect.ns)
        return cii.read_cii(doc, dialect), "CII", cii.profile_of(doc, dialect), doc
    ubl_dialect = ubl.INVOICE if flavor == "ubl_invoice" else ubl.CREDIT_NOTE
    doc = Document(root, ubl_dialect.ns)
    return ubl.read_ubl(doc, ubl_dialect), "UBL", ubl.profile_of(doc), doc


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]
