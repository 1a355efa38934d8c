"""Images as scanners and phones make them: rendered from real PDFs, or crafted to be hostile."""

from __future__ import annotations

import io
import struct
import zlib

import pypdfium2
from PIL import Image

from agents.reading.pdfium import PDFIUM_LOCK


def rendered_pages(pdf: bytes, *, dpi: int = 150) -> list[Image.Image]:
    """Every page of `pdf` as an image at `dpi`, as a scanner would see it (greyscale)."""
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
        finally:
            document.close()


def encoded(images: list[Image.Image], fmt: str, *, dpi: int | None = 150, **options: object) -> bytes:
    """`images` as one file: several pages only for TIFF."""
    out = io.BytesIO()
    extra: dict[str, object] = {"dpi": (dpi, dpi)} if dpi else {}
    if len(images) > 1:
        extra.update(save_all=True, append_images=images[1:])
    images[0].save(out, fmt, **extra, **options)
    return out.getvalue()


def scan_of(pdf: bytes, fmt: str = "PNG", *, dpi: int = 150) -> bytes:
    pages = rendered_pages(pdf, dpi=dpi)
    if fmt == "TIFF":  # every page, compressed as scanners do
        return encoded(pages, fmt, dpi=dpi, compression="tiff_lzw")
    return encoded(pages[:1], fmt, dpi=dpi)


def plain(size: tuple[int, int], fmt: str = "PNG", *, colour: int = 255, dpi: int | None = None) -> bytes:
    return encoded([Image.new("L", size, colour)], fmt, dpi=dpi)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header declares `width` x `height` pixels (a pixel bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (width + 1) * 4)  # four rows; a decoder would want them all
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
