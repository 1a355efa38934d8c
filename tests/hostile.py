"""Hostile files, generated small: bombs, hostile XML, encrypted, truncated and renamed files."""

from __future__ import annotations

import base64
import functools
import io
import struct
import zipfile
import zlib
from typing import Any

import pikepdf

from tests.factories import text_pdf

MIB = 1 << 20
CII_OPEN = (
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
)
CII_CLOSE = b"</rsm:CrossIndustryInvoice>"


@functools.cache
def zeros_deflated(mebibytes: int) -> bytes:
    """A zlib stream of `mebibytes` MiB of zeros, built in milliseconds instead of compressed for seconds.

    One 1 MiB block, full-flushed (byte-aligned, history reset) so that its bytes can be repeated,
    then an empty final block and the Adler-32 of the whole (for zeros: a = 1, b = length mod 65521).
    """
    compressor = zlib.compressobj(9)
    first = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    length = mebibytes * MIB
    return first + block * (mebibytes - 1) + b"\x03\x00" + struct.pack(">I", ((length % 65521) << 16) | 1)


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def _page(pdf: pikepdf.Pdf, contents: pikepdf.Object, **resources: Any) -> pikepdf.Page:
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    return pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), **resources),
            Contents=contents,
        )
    )


def _encoded_stream(pdf: pikepdf.Pdf, data: bytes, filters: list[str], **entries: Any) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, b"")
    names = [pikepdf.Name(f) for f in filters]
    stream.write(data, filter=names[0] if len(names) == 1 else pikepdf.Array(names), type_check=False)
    for key, value in entries.items():
        stream[f"/{key}"] = value
    return stream


def decompression_bomb(variant: str, mebibytes: int = 256) -> bytes:
    """A PDF under 1 MB whose streams inflate to `mebibytes` MiB of zeros (whitespace to a PDF parser)."""
    pdf = pikepdf.new()
    if variant == "content":
        pdf.pages.append(_page(pdf, _encoded_stream(pdf, zeros_deflated(mebibytes), ["/FlateDecode"])))
    elif variant == "form":
        form = _encoded_stream(
            pdf,
            zeros_deflated(mebibytes),
            ["/FlateDecode"],
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=[0, 0, 595, 842],
        )
        draw = pdf.make_stream(b"/Bomb Do")
        pdf.pages.append(_page(pdf, draw, XObject=pikepdf.Dictionary(Bomb=form)))
    elif variant == "split":
        parts = [_encoded_stream(pdf, zeros_deflated(mebibytes // 8), ["/FlateDecode"]) for _ in range(8)]
        pdf.pages.append(_page(pdf, pikepdf.Array(parts)))
    elif variant == "ascii85":
        encoded = base64.a85encode(zeros_deflated(mebibytes)) + b"~>"
        pdf.pages.append(_page(pdf, _encoded_stream(pdf, encoded, ["/ASCII85Decode", "/FlateDecode"])))
    else:
        raise ValueError(variant)
    return _save(pdf)


def text_bomb(variant: str, chars: int = 1_000_000) -> bytes:
    """One page with about `chars` characters of text (an invoice page has a few thousand)."""
    if variant == "one_string":  # pdfium reads 32767 characters of it, pdfminer all of them
        content = b"BT /F1 1 Tf 10 800 Td (" + b"A" * chars + b") Tj ET"
    elif variant == "many_strings":
        line = b"(" + b"B" * 1000 + b") Tj 0 -1 Td\n"
        content = b"BT /F1 1 Tf 10 800 Td\n" + line * (chars // 1000) + b"ET"
    elif variant == "words":
        line = b"(Rechnung 4711 EUR 1,00 ) Tj 0 -1 Td\n"
        content = b"BT /F1 1 Tf 10 800 Td\n" + line * (chars // 24) + b"ET"
    elif variant == "tiny_grid":
        row = b"(" + b"x " * 150 + b") Tj 0 -0.5 Td\n"
        content = b"BT /F1 0.5 Tf 1 841 Td\n" + row * (chars // 300) + b"ET"
    else:
        raise ValueError(variant)
    pdf = pikepdf.new()
    pdf.pages.append(_page(pdf, pdf.make_stream(content)))
    out = io.BytesIO()
    pdf.save(out)  # compressed: the file stays small, the page does not
    return out.getvalue()


def page_bomb(pages: int) -> bytes:
    """`pages` pages sharing one content stream."""
    pdf = pikepdf.new()
    contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Seite) Tj ET")
    for _ in range(pages):
        pdf.pages.append(_page(pdf, contents))
    return _save(pdf)


def deep_xml(variant: str) -> bytes:
    if variant == "100k_deep":
        return b"<?xml version='1.0'?>" + CII_OPEN + b"<a>" * 100_000 + b"</a>" * 100_000 + CII_CLOSE
    if variant == "300_deep":
        return b"<?xml version='1.0'?>" + CII_OPEN + b"<a>" * 300 + b"</a>" * 300 + CII_CLOSE
    if variant == "just_over_limit":
        return b"<?xml version='1.0'?>" + CII_OPEN + b"<a>" * 70 + b"</a>" * 70 + CII_CLOSE
    raise ValueError(variant)


def doctype_xml(variant: str) -> bytes:
    if variant == "xxe":
        dtd = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        return b"<?xml version='1.0'?>" + dtd + CII_OPEN + b"&x;" + CII_CLOSE
    if variant == "billion_laughs":
        entities = b'<!ENTITY l0 "lol">' + b"".join(
            f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10)
        )
        return b"<?xml version='1.0'?><!DOCTYPE r [" + entities + b"]>" + CII_OPEN + b"&l9;" + CII_CLOSE
    if variant == "external_dtd":
        return b"<?xml version='1.0'?><!DOCTYPE r SYSTEM 'http://127.0.0.1:9/x.dtd'>" + CII_OPEN + CII_CLOSE
    if variant == "utf16_xxe":
        text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hosts">]>'
        return (text + (CII_OPEN + b"&x;" + CII_CLOSE).decode()).encode("utf-16")
    raise ValueError(variant)


def bad_encoding_xml(variant: str) -> bytes:
    body = CII_OPEN + b"<a>%s</a>" + CII_CLOSE
    if variant == "invalid_utf8":
        return b"<?xml version='1.0' encoding='UTF-8'?>" + body % b"\xff\xfe\xfd"
    if variant == "latin1_bytes_as_utf8":
        return b"<?xml version='1.0' encoding='UTF-8'?>" + body % "Müller".encode("latin-1")
    if variant == "overlong_utf8":
        return b"<?xml version='1.0' encoding='UTF-8'?>" + body % b"\xc0\xaf"
    if variant == "declared_latin1":
        return b"<?xml version='1.0' encoding='ISO-8859-1'?>" + body % "Müller".encode("latin-1")
    raise ValueError(variant)


def encrypted(variant: str) -> bytes:
    """Password-protected (`*_user`) or only permission-restricted (`owner_only`, readable by anyone)."""
    settings = {
        "aes256_user": pikepdf.Encryption(user="secret", owner="owner", R=6),
        "aes128_user": pikepdf.Encryption(user="secret", owner="owner", R=4, aes=True),
        "rc4_user": pikepdf.Encryption(user="secret", owner="owner", R=3, aes=False, metadata=False),
        "owner_only": pikepdf.Encryption(user="", owner="owner", R=6),
    }[variant]
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(text_pdf("Verschlüsselt"))) as pdf:
        pdf.save(out, encryption=settings)
    return out.getvalue()


def truncated(variant: str) -> bytes:
    data = text_pdf("Abgeschnitten", pages=2)
    if variant == "half":
        return data[: len(data) // 2]
    if variant == "header_only":
        return b"%PDF-1.7\n"
    if variant == "before_xref":
        return data[: data.rfind(b"xref")]  # pdfium repairs it; pdfminer cannot
    raise ValueError(variant)


def renamed_archive(variant: str) -> bytes:
    """Not a PDF, whatever its name says."""
    pdf = text_pdf("Im Archiv")
    out = io.BytesIO()
    if variant == "zip_deflated":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("rechnung.pdf", pdf)
    elif variant == "zip_stored":  # `%PDF-` within the first KiB: magic-byte sniffing alone says PDF
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("rechnung.pdf", pdf)
    elif variant == "pdf_zip_polyglot":  # a real PDF with a ZIP appended
        out.write(pdf)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
            archive.writestr("payload.txt", b"hidden")
    elif variant == "gzip":
        import gzip

        return gzip.compress(pdf)
    else:
        raise ValueError(variant)
    return out.getvalue()
