"""A small PDF writer for hostile-input tests: text and filled rectangles, drawn in the order given.

Text uses Helvetica in WinAnsi with a ToUnicode map, so Latin-1 text reads as written, and a few
control codes stand for Unicode format characters (zero-width space and friends) that a PDF may
carry in its text layer without showing them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf

A4 = (595.0, 842.0)
Colour = tuple[float, float, float]
BLACK: Colour = (0.0, 0.0, 0.0)
WHITE: Colour = (1.0, 1.0, 1.0)

#: Unicode format characters and the byte that draws each one (a glyph without width).
FORMAT_CODES = {
    "\u200b": 0x01,
    "\u200c": 0x02,
    "\u200d": 0x03,
    "\u2060": 0x04,
    "\ufeff": 0x05,
    "\u202e": 0x06,
}


@dataclass
class PageSpec:
    """One page: PDF operators in drawing order; `crop` is the crop box (x0, y0, x1, y1) when set."""

    ops: list[str] = field(default_factory=list)
    crop: tuple[float, float, float, float] | None = None

    def text(
        self, x: float, y: float, text: str, *, size: float = 10, colour: Colour = BLACK, mode: int = 0
    ) -> PageSpec:
        """`text` at (x, y) from the bottom left; `mode` is the text rendering mode (3: invisible)."""
        r, g, b = colour
        self.ops.append(
            f"BT /F1 {size:g} Tf {mode} Tr {r:g} {g:g} {b:g} rg {x:g} {y:g} Td <{_encode(text)}> Tj ET"
        )
        return self

    def lines(
        self, x: float, y: float, texts: list[str], *, size: float = 10, leading: float = 14
    ) -> PageSpec:
        for i, line in enumerate(texts):
            self.text(x, y - i * leading, line, size=size)
        return self

    def image(self, x: float, y: float, width: float, height: float) -> PageSpec:
        """A small grey picture stretched over the box, like a scanned page under its OCR text."""
        self.ops.append(f"q {width:g} 0 0 {height:g} {x:g} {y:g} cm /Im1 Do Q")
        return self

    def rect(self, x: float, y: float, width: float, height: float, *, colour: Colour = WHITE) -> PageSpec:
        r, g, b = colour
        self.ops.append(f"{r:g} {g:g} {b:g} rg {x:g} {y:g} {width:g} {height:g} re f")
        return self


def build_pdf(pages: list[PageSpec]) -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
            ToUnicode=pdf.make_stream(_to_unicode()),
        )
    )
    picture = pdf.make_stream(bytes([200, 120, 120, 200]))
    picture.stream_dict = pikepdf.Dictionary(
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=2,
        Height=2,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=8,
    )
    for spec in pages:
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, *A4],
            Resources=pikepdf.Dictionary(
                Font=pikepdf.Dictionary(F1=font), XObject=pikepdf.Dictionary(Im1=picture)
            ),
            Contents=pdf.make_stream("\n".join(spec.ops).encode()),
        )
        if spec.crop is not None:
            page.CropBox = list(spec.crop)
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _encode(text: str) -> str:
    return "".join(f"{FORMAT_CODES.get(c) or c.encode('cp1252')[0]:02x}" for c in text)


def _to_unicode() -> bytes:
    chars = [f"<{code:02x}> <{ord(c):04x}>" for c, code in FORMAT_CODES.items()]
    chars.append("<80> <20ac>")
    body = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CMapName /Kontor-Test def /CMapType 2 def",
            "1 begincodespacerange <00> <ff> endcodespacerange",
            f"{len(chars)} beginbfchar",
            *chars,
            "endbfchar",
            "2 beginbfrange <20> <7e> <0020> <a0> <ff> <00a0> endbfrange",
            "endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    )
    return body.encode()
