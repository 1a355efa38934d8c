"""Pre-flight checks at ingest: what can be refused cheaply is refused before anything is stored.

A PDF must be a PDF (not an archive wearing its name), open in pdfium, have no more pages than
`limits.max_pages`, and its streams must not inflate past `limits.max_decoded_mb` (images: their
declared size past `limits.max_image_mb`). The inflation is counted chunk by chunk and stops at the
limit, so a decompression bomb costs at most the limit's worth of zlib work, an invoice a few ms.
XML must be well-formed UTF-8 or UTF-16 without a DTD and no deeper than `limits.max_xml_depth`.
What passes here can still be hostile in subtler ways: the sandbox's limits catch the rest.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import zipfile
import zlib

import pikepdf
import pypdfium2
from lxml import etree

from agents.reading.pdfium import PDFIUM_LOCK
from app.config import LimitsSettings
from app.errors import (
    CorruptDocumentError,
    EInvoiceError,
    EncryptedDocumentError,
    InvalidXmlError,
    ResourceLimitError,
    TooManyPagesError,
    UnsupportedMediaError,
)

log = logging.getLogger(__name__)

MB = 1024 * 1024
_INFLATE_CHUNK = 4 * MB
#: Formats that are never a PDF even when `%PDF-` appears in their first KiB (a stored PDF in a ZIP).
_FOREIGN_MAGIC = {
    b"PK\x03\x04": "a ZIP archive",
    b"PK\x05\x06": "a ZIP archive",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\xd0\xcf\x11\xe0": "an MS Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}
_ENCODINGS = frozenset({"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii"})


def check_pdf(data: bytes, limits: LimitsSettings) -> None:
    """Raise an `UploadError` with the reason when `data` is not a PDF Kontor should try to read."""
    _refuse_foreign_container(data)
    _check_pages(data, limits.max_pages)
    _check_decoded_size(data, limits)


def check_xml(data: bytes, limits: LimitsSettings) -> None:
    """Raise an `UploadError` for hostile, malformed, non-UTF XML or XML nested too deeply."""
    from agents.einvoice.xmlsafe import parse_xml

    try:
        root = parse_xml(data)
    except EInvoiceError as exc:
        raise InvalidXmlError(exc.message) from exc
    encoding = (root.getroottree().docinfo.encoding or "utf-8").lower()
    if encoding not in _ENCODINGS:
        raise UnsupportedMediaError(f"The XML is encoded in {encoding}; e-invoices must be UTF-8 or UTF-16.")
    depth = _depth(root)
    if depth > limits.max_xml_depth:
        raise InvalidXmlError(
            f"The XML nests elements {depth} deep; the limit is {limits.max_xml_depth} "
            "(e-invoices need about 10)."
        )


def _refuse_foreign_container(data: bytes) -> None:
    for magic, kind in _FOREIGN_MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedMediaError(f"The file is {kind}, not a PDF; upload the PDF itself.")
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise UnsupportedMediaError("The file is a ZIP archive, not a PDF; upload the PDF itself.")


def _check_pages(data: bytes, max_pages: int) -> None:
    with PDFIUM_LOCK:
        pages = _page_count(data)
    if pages == 0:
        raise CorruptDocumentError("The PDF has no pages.")
    if pages > max_pages:
        raise TooManyPagesError(f"The PDF has {pages} pages; the limit is {max_pages}.")


def _page_count(data: bytes) -> int:
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedDocumentError(
                "The PDF is protected by a password; upload it unprotected."
            ) from exc
        raise CorruptDocumentError(f"The PDF is damaged and cannot be opened ({exc}).") from exc
    try:
        return len(pdf)
    finally:
        pdf.close()


def _check_decoded_size(data: bytes, limits: LimitsSettings) -> None:
    streams_budget, images_budget = limits.max_decoded_mb * MB, limits.max_image_mb * MB
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError:
        log.warning("pikepdf cannot open a PDF pdfium opened; its size is left to the sandbox")
        return
    streams = images = 0
    with pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream):
                continue
            if obj.get("/Subtype") == "/Image":
                images += _declared_image_bytes(obj)
            else:
                streams += _decoded_size(obj, streams_budget - streams + 1)
            if streams > streams_budget:
                raise ResourceLimitError(
                    f"The PDF's streams inflate to more than {limits.max_decoded_mb} MB "
                    "(a decompression bomb?); refused."
                )
            if images > images_budget:
                raise ResourceLimitError(
                    f"The PDF's images would decode to more than {limits.max_image_mb} MB; refused."
                )


def _declared_image_bytes(image: pikepdf.Stream) -> int:
    # Up to four bytes a pixel (CMYK, RGBA): what a renderer allocates, whatever the stream holds.
    width, height = image.get("/Width", 0), image.get("/Height", 0)
    if not isinstance(width, int) or not isinstance(height, int):
        return 0
    return max(width, 0) * max(height, 0) * 4


def _decoded_size(stream: pikepdf.Stream, budget: int) -> int:
    """Bytes `stream` decodes to, counted up to `budget` (more means: over the budget)."""
    raw = bytes(stream.read_raw_bytes())
    filters = _filters(stream)
    while filters and filters[0] in ("/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85"):
        raw = _decode_ascii(filters.pop(0), raw)
    if not filters:
        return len(raw)
    if filters[0] in ("/FlateDecode", "/Fl"):
        return _inflated_size(raw, budget)
    if filters[0] in ("/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"):
        try:
            return len(bytes(stream.read_bytes()))  # expansion bounded by the format (~1:100s)
        except pikepdf.PdfError:
            return len(raw)
    return len(raw)  # image codecs (DCT, JPX, CCITT, JBIG2): decoded by renderers only


def _filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    items = list(value) if isinstance(value, pikepdf.Array) else [value]
    return [str(item) for item in items]


def _decode_ascii(name: str, raw: bytes) -> bytes:
    try:
        if name in ("/ASCIIHexDecode", "/AHx"):
            digits = bytes(c for c in raw.split(b">", 1)[0] if chr(c) in "0123456789abcdefABCDEF")
            return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        return base64.a85decode(raw.strip().removeprefix(b"<~").split(b"~>", 1)[0])
    except ValueError:
        return raw


def _inflated_size(raw: bytes, budget: int) -> int:
    inflater = zlib.decompressobj()
    total, pending = 0, raw
    try:
        while total <= budget:
            out = inflater.decompress(pending, _INFLATE_CHUNK)
            total += len(out)
            pending = inflater.unconsumed_tail
            if not pending and len(out) < _INFLATE_CHUNK:
                break
    except zlib.error:
        pass  # a damaged stream: what inflated so far is what any reader gets
    return total


def _depth(root: etree._Element) -> int:
    depth = deepest = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest
