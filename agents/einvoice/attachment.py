"""Finding the invoice XML embedded in a hybrid PDF (ZUGFeRD, Factur-X, XRechnung or UBL in PDF/A-3)."""

from __future__ import annotations

import io
import logging

import facturx
import pikepdf

from agents.einvoice.detect import is_einvoice_xml

log = logging.getLogger(__name__)
# factur-x warns about every PDF without invoice XML, which for Kontor is the normal upload.
logging.getLogger("factur-x").setLevel(logging.ERROR)

#: The names the standards prescribe: Factur-X/ZUGFeRD 2.x, ZUGFeRD 1.0, XRechnung in ZUGFeRD 2.1+.
STANDARD_NAMES: tuple[str, ...] = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


def find_xml_in_pdf(data: bytes) -> tuple[str, bytes] | None:
    """The embedded invoice XML as (attachment file name, bytes), or None when there is none.

    Attachments that are not invoice XML (delivery notes, images, logistics data) are passed over;
    a PDF that cannot be opened also gives None, since the visual path reports that better.
    """
    found = _via_facturx(data)
    if found is None:
        found = _via_pikepdf(data)
    return found


def _via_facturx(data: bytes) -> tuple[str, bytes] | None:
    try:
        name, xml = facturx.get_xml_from_pdf(data, check_xsd=False, filenames=list(STANDARD_NAMES))
    except Exception:  # pypdf raises many types for damaged files; pikepdf gets a second try
        log.debug("factur-x could not read the PDF's attachments", exc_info=True)
        return None
    if name and isinstance(xml, bytes) and is_einvoice_xml(xml):
        return str(name), xml
    return None


def _via_pikepdf(data: bytes) -> tuple[str, bytes] | None:
    """Every embedded file, standard names first, then any other that sniffs as invoice XML."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            attachments = pdf.attachments
            for name in sorted(attachments, key=lambda name: name.lower() not in STANDARD_NAMES):
                content = attachments[name].get_file().read_bytes()
                if is_einvoice_xml(content):
                    return str(name), content
    except Exception:  # damaged or encrypted: no attachment can be trusted
        log.debug("pikepdf could not read the PDF's attachments", exc_info=True)
    return None
