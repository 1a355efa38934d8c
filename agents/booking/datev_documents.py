"""The document bundle beside a DATEV export: the originals and a `document.xml` for DATEV's document upload
(Belegtransfer / Unternehmen online), so that each booking's Beleglink (column 20) finds its document.

`document.xml` follows DATEV's document schema version 4.0 (namespace
`http://xml.datev.de/bedi/tps/document/v04.0`, as open-source exporters write it): a header, then one
`document` per original with its GUID, the invoice number as keyword and the file as a `File` extension.
A booking links its document as `BEDI "<GUID>"`; the GUID is derived from the original's SHA-256, so every
export links the same document the same way.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import quoteattr

NAMESPACE = "http://xml.datev.de/bedi/tps/document/v04.0"
#: File extension of each stored media type (document bundles, auditor export).
EXTENSIONS = {
    "application/pdf": "pdf",
    "application/xml": "xml",
    "text/xml": "xml",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/tiff": "tif",
}


@dataclass(frozen=True)
class LinkedDocument:
    sha256: str
    media_type: str
    content: bytes
    #: The invoice number(s) of the bookings that link it.
    keywords: str = ""

    @property
    def guid(self) -> str:
        return document_guid(self.sha256)

    @property
    def filename(self) -> str:
        return f"{self.guid}.{EXTENSIONS.get(self.media_type, 'bin')}"


def document_guid(sha256: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kontor:document:{sha256}"))


def beleglink(sha256: str) -> str:
    """Column 20 of a booking whose document is in the bundle."""
    return f'BEDI "{document_guid(sha256)}"'


def document_xml(documents: list[LinkedDocument], created_at: datetime) -> bytes:
    entries = "\n".join(
        f'    <document guid={quoteattr(d.guid)} type="1" processID="1">\n'
        f"      <keywords>{_text(d.keywords)}</keywords>\n"
        f'      <extension xsi:type="File" name={quoteattr(d.filename)}/>\n'
        "    </document>"
        for d in documents
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="{NAMESPACE} Document_v040.xsd" version="4.0" generatingSystem="Kontor">
  <header>
    <date>{created_at:%Y-%m-%dT%H:%M:%S}</date>
    <description>Belege Rechnungseingang</description>
  </header>
  <content>
{entries}
  </content>
</archive>
"""
    return text.encode("utf-8")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_bundle(documents: list[LinkedDocument], created_at: datetime) -> bytes:
    """A ZIP with `document.xml` and every original under the name it gives."""
    buffer = io.BytesIO()
    stamp = created_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(zipfile.ZipInfo("document.xml", stamp), document_xml(documents, created_at))
        for document in documents:
            bundle.writestr(zipfile.ZipInfo(document.filename, stamp), document.content)
    return buffer.getvalue()
