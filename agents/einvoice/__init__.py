"""E-invoices: ZUGFeRD 1.0/2.x, Factur-X, XRechnung and Peppol in CII or UBL, read exactly and validated.

find_xml_in_pdf(pdf bytes)      the embedded invoice XML of a hybrid PDF, or None
is_einvoice_xml(bytes)          a cheap, safe sniff of the root element
read_einvoice(xml bytes)        canonical invoice + syntax + profile + XSD and business rule findings
compare_with_page(xml, page)    `einvoice.page_mismatch` findings for a hybrid's visible page
"""

from agents.einvoice.attachment import find_xml_in_pdf
from agents.einvoice.compare import compare_with_page
from agents.einvoice.detect import is_einvoice_xml
from agents.einvoice.read import EInvoiceResult, read_einvoice

__all__ = ["EInvoiceResult", "compare_with_page", "find_xml_in_pdf", "is_einvoice_xml", "read_einvoice"]
