"""The searchable archive copy: the scan as read, with the OCR text as an invisible, selectable layer.

Made beside the original (which is never replaced) when `KONTOR_OCR__ARCHIVE_COPY` is on and a page was
read by OCR. An OCR'd page becomes its straightened image (what the OCR read; 200 dpi greyscale JPEG)
with each word placed invisibly (text render mode 3) over its ink; a page with a text layer is copied
as it is. The text uses Tesseract's glyphless font (`pdf.ttf` beside the models), embedded, with a
ToUnicode map, so any viewer finds and copies the words. The file is marked PDF/A-2B (XMP metadata,
an sRGB output intent, embedded fonts); it is not checked by a PDF/A validator here.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms
from sqlalchemy.orm import Session, sessionmaker

from agents.reading.ocr import find_tessdata
from agents.reading.scanned import straightened_image
from app.config import Settings
from app.db import session_scope
from app.models import Document, StepResult
from app.scans.models import RenditionKind
from app.scans.renditions import processing_copy, store_rendition
from schemas.document import Page, ReadResult

log = logging.getLogger(__name__)

IMAGE_DPI = 200
#: The glyphless font's advance: half an em per character (Tesseract's `pdf.ttf`).
_ADVANCE = 0.5


def store_archive_copy(factory: sessionmaker[Session], document_id: int, settings: Settings) -> bool:
    """Make and store the copy for a document read by OCR; False when there is nothing to make."""
    if not settings.ocr.archive_copy:
        return False
    with session_scope(factory) as session:
        document = session.get(Document, document_id)
        read = _read(session, document_id)
        if document is None or read is None or not any(p.ocr for p in read.pages):
            return False
        _media, pdf = processing_copy(session, document)
    font = _glyphless_font(settings.ocr.tessdata)
    if font is None:
        log.warning("document %s: no archive copy, Tesseract's pdf.ttf is not beside the models", document_id)
        return False
    copy = searchable_pdf(pdf, read, font)
    with session_scope(factory) as session:
        document = session.get(Document, document_id)
        if document is not None:
            store_rendition(session, document, RenditionKind.SEARCHABLE, copy)
    return True


def searchable_pdf(pdf: bytes, read: ReadResult, font_program: bytes) -> bytes:
    """The PDF/A-2B archive copy of `pdf` as `read` saw it (see the module's docstring)."""
    with pikepdf.open(io.BytesIO(pdf)) as source, pikepdf.new() as out:
        font = _font(out, font_program)
        by_number = {page.number: page for page in read.pages}
        for index, source_page in enumerate(source.pages):
            page = by_number.get(index + 1)
            if page is None or page.ocr is None:
                out.pages.append(source_page)
            else:
                out.pages.append(_ocr_page(out, pdf, page, font))
        _mark_pdfa(out)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _ocr_page(out: pikepdf.Pdf, pdf: bytes, page: Page, font: pikepdf.Object) -> pikepdf.Page:
    image = straightened_image(pdf, page)
    size = (max(1, round(page.width * IMAGE_DPI / 72)), max(1, round(page.height * IMAGE_DPI / 72)))
    jpeg = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).convert("L").save(jpeg, "JPEG", quality=80)
    xobject = pikepdf.Stream(
        out,
        jpeg.getvalue(),
        Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=size[0], Height=size[1],
        ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode,
    )  # fmt: skip
    ops = [f"q {page.width:.2f} 0 0 {page.height:.2f} 0 0 cm /Im0 Do Q", "BT 3 Tr"]
    ops += [_word(word.text, word.x0, word.top, word.x1, word.bottom, page.height) for word in page.words]
    ops.append("ET")
    content = pikepdf.Stream(out, "\n".join(op for op in ops if op).encode())
    return pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, round(page.width, 2), round(page.height, 2)],
            Resources=pikepdf.Dictionary(XObject={"/Im0": xobject}, Font={"/F0": font}),
            Contents=content,
        )
    )


def _word(text: str, x0: float, top: float, x1: float, bottom: float, page_height: float) -> str:
    """One word, invisible, stretched to its box (glyphless: every character is half an em wide)."""
    codes = "".join(f"{ord(c):04X}" for c in text if ord(c) <= 0xFFFF)
    size = bottom - top
    if not codes or size <= 0 or x1 <= x0:
        return ""
    stretch = 100 * (x1 - x0) / (len(codes) // 4 * _ADVANCE * size)
    baseline = page_height - bottom + size * 0.2
    # A space after each word, as Tesseract's own PDFs have: extractors then keep the words apart.
    return f"/F0 {size:.2f} Tf {stretch:.1f} Tz 1 0 0 1 {x0:.2f} {baseline:.2f} Tm <{codes}0020> Tj"


def _font(out: pikepdf.Pdf, program: bytes) -> pikepdf.Object:
    # Codes are Unicode (Identity-H, two bytes); every code draws the one glyph of the glyphless font.
    to_unicode = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Kontor-UCS def "
        b"/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
        b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap "
        b"CMapName currentdict /CMap defineresource pop end end"
    )
    gid_map = b"\x00\x01" * 65536
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.GlyphLessFont, Flags=5,
        FontBBox=[0, 0, 500, 1000], ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000, StemV=80,
        FontFile2=pikepdf.Stream(out, program),
    )  # fmt: skip
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name.GlyphLessFont,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=out.make_indirect(descriptor), DW=int(_ADVANCE * 1000),
        CIDToGIDMap=pikepdf.Stream(out, gid_map),
    )  # fmt: skip
    return out.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name.GlyphLessFont,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[out.make_indirect(cid_font)],
            ToUnicode=pikepdf.Stream(out, to_unicode),
        )
    )


def _mark_pdfa(out: pikepdf.Pdf) -> None:
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = "Searchable archive copy"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    profile = pikepdf.Stream(out, icc, N=3)
    out.Root.OutputIntents = [
        pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier="sRGB",
            DestOutputProfile=out.make_indirect(profile),
        )
    ]


def _glyphless_font(configured: Path | None) -> bytes | None:
    tessdata = find_tessdata(configured)
    font = tessdata / "pdf.ttf" if tessdata is not None else None
    return font.read_bytes() if font is not None and font.is_file() else None


def _read(session: Session, document_id: int) -> ReadResult | None:
    row = session.query(StepResult).filter_by(document_id=document_id, step="read").one_or_none()
    return ReadResult.model_validate(row.data) if row is not None else None
