"""A thin layer over fpdf2: absolute text in points, right alignment, fake bold, embedded DejaVu fonts.

DejaVu (Debian `fonts-dejavu-core`) covers Polish and Czech diacritics; fpdf2 embeds a subset of it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
)
FAMILIES = ("DejaVuSans", "DejaVuSerif", "DejaVuSansMono")
#: A fixed creation date keeps the bytes of a seed's PDF the same from run to run.
CREATED = datetime(2024, 1, 1, tzinfo=UTC)


class FontsMissing(RuntimeError):
    pass


def font_dir() -> Path:
    """Where the DejaVu TTFs are: `KONTOR_SYNTH_FONT_DIR`, else the usual Debian/Fedora/Arch places."""
    candidates = [os.environ.get("KONTOR_SYNTH_FONT_DIR", ""), *FONT_DIRS]
    for folder in candidates:
        if folder and (Path(folder) / "DejaVuSans.ttf").is_file():
            return Path(folder)
    raise FontsMissing("DejaVu fonts not found: install fonts-dejavu-core or set KONTOR_SYNTH_FONT_DIR")


class Canvas:
    """One document; coordinates in points from the top-left corner, as pdfplumber reports them."""

    def __init__(self, *, letter: bool = False, family: str = "DejaVuSans", fake_bold: int = 1) -> None:
        self.pdf = FPDF(unit="pt", format="letter" if letter else "A4")
        self.pdf.set_auto_page_break(auto=False)
        self.pdf.set_creation_date(CREATED)
        self.pdf.set_margin(0)
        folder = font_dir()
        for name in FAMILIES:
            self.pdf.add_font(name, "", str(folder / f"{name}.ttf"))
            self.pdf.add_font(name, "B", str(folder / f"{name}-Bold.ttf"))
        self.family = family
        self.fake_bold = fake_bold
        self.width = float(self.pdf.w)
        self.height = float(self.pdf.h)

    def page(self) -> None:
        self.pdf.add_page()

    def text(
        self,
        x: float,
        y: float,
        value: str,
        *,
        size: float = 9.0,
        bold: bool = False,
        right: bool = False,
        heavy: bool = False,
    ) -> float:
        """Draw `value` with its baseline at `y` (left edge at `x`, or right edge when `right`).

        `heavy` text is drawn `fake_bold` times, a fraction of a point apart, as some invoicing
        programs fake bold type. Returns the text's width.
        """
        self.pdf.set_font(self.family, "B" if bold else "", size)
        width = float(self.pdf.get_string_width(value))
        left = x - width if right else x
        for i in range(self.fake_bold if heavy else 1):
            self.pdf.text(left + 0.3 * i, y, value)
        return width

    def width_of(self, value: str, *, size: float = 9.0, bold: bool = False) -> float:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        return float(self.pdf.get_string_width(value))

    def line(self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.5) -> None:
        self.pdf.set_line_width(width)
        self.pdf.line(x0, y0, x1, y1)

    def box(self, x: float, y: float, w: float, h: float, *, fill: int | None = None) -> None:
        self.pdf.set_line_width(0.5)
        if fill is not None:
            self.pdf.set_fill_color(fill)
        self.pdf.rect(x, y, w, h, style="DF" if fill is not None else "D")

    def output(self) -> bytes:
        return bytes(self.pdf.output())
