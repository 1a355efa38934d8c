"""Parsing untrusted XML: no DTDs, no entities, no network, bounded size.

E-invoices never need a document type declaration, so any `<!DOCTYPE>` is refused outright: that one
rule closes XXE (external entities reading local files or URLs) and entity expansion bombs
("billion laughs") without having to reason about which entity is harmless.
"""

from __future__ import annotations

from lxml import etree

from agents.errors import EInvoiceError

#: Larger than any real e-invoice (the biggest public samples are a few hundred kB).
MAX_XML_BYTES = 20 * 1024 * 1024

#: `<!DOCTYPE` as UTF-8 and UTF-16 spell it; other encodings are caught after parsing by `refuse_dtd`.
_DOCTYPE_MARKERS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_DTD_REFUSED = (
    "The XML declares a DTD (<!DOCTYPE ...>). E-invoices never do, and DTDs can hide entity attacks "
    "(XXE, 'billion laughs'); the file was refused."
)


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parser objects must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(data: bytes) -> etree._Element:
    """The root element of `data`.

    Raises `EInvoiceError` for empty, oversized or malformed XML and for XML that declares a DTD.
    """
    if not data.strip():
        raise EInvoiceError("The XML file is empty.")
    if len(data) > MAX_XML_BYTES:
        raise EInvoiceError(f"The XML file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB; refused.")
    if any(marker in data for marker in _DOCTYPE_MARKERS):
        # Refused before parsing: libxml2 would otherwise report an entity bomb as mere malformation.
        raise EInvoiceError(_DTD_REFUSED)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise EInvoiceError(f"The XML is malformed and cannot be read: {exc.msg}.") from exc
    refuse_dtd(root)
    return root


def refuse_dtd(root: etree._Element) -> None:
    """Raise `EInvoiceError` when the document carries a DTD or entity declarations."""
    docinfo = root.getroottree().docinfo
    # Any <!DOCTYPE>, even one without an internal subset, gives the document an internalDTD.
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise EInvoiceError(_DTD_REFUSED)
