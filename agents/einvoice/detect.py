"""Which e-invoice syntax a document is, judged by its root element alone."""

from __future__ import annotations

import io
from typing import Literal

from lxml import etree

#: The four root elements Kontor reads. ZUGFeRD 1.0 is CII as well, in its older D13B draft.
Flavor = Literal["cii", "zugferd1", "ubl_invoice", "ubl_creditnote"]

NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_ZUGFERD1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"
NS_UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_UBL_CREDITNOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

ROOTS: dict[str, Flavor] = {
    f"{{{NS_CII}}}CrossIndustryInvoice": "cii",
    f"{{{NS_ZUGFERD1}}}CrossIndustryDocument": "zugferd1",
    f"{{{NS_UBL_INVOICE}}}Invoice": "ubl_invoice",
    f"{{{NS_UBL_CREDITNOTE}}}CreditNote": "ubl_creditnote",
}


def flavor_of(tag: str) -> Flavor | None:
    """The flavor for a root tag in Clark notation (`{namespace}local`), None for anything else."""
    return ROOTS.get(tag)


def root_tag(data: bytes) -> str | None:
    """The root element's tag, reading only up to it; None when the bytes do not start as XML.

    Entities stay unresolved and nothing is fetched, so hostile input costs nothing here; it is
    refused properly by `xmlsafe.parse_xml` when read.
    """
    events = etree.iterparse(
        io.BytesIO(data[:65536]),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=False,
    )
    try:
        for _event, element in events:
            return str(element.tag)
    except etree.XMLSyntaxError:
        return None
    return None


def is_einvoice_xml(data: bytes) -> bool:
    """True when `data` is XML whose root is a CII, ZUGFeRD 1.0 or UBL Invoice/CreditNote element."""
    tag = root_tag(data)
    return tag is not None and flavor_of(tag) is not None
