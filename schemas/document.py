"""What the `read` step makes of a document: text, words and boxes per page."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Word(BaseModel):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    #: Tesseract's confidence (0-100) for a word read by OCR; None for a word of the text layer.
    confidence: float | None = None


class OcrInfo(BaseModel):
    """How an OCR'd page's image was made from the PDF page (see `app.pipeline.ocr.straightened_image`).

    The page was rendered at `dpi`, turned `rotation` degrees counter-clockwise (the page canvas grows
    to fit, so 90/270 swap width and height), then `skew` degrees counter-clockwise about its centre
    (same canvas, white corners). Word boxes and the page's width/height are in points (1/72 inch) of
    that straightened image: pixels = points * dpi / 72.
    """

    dpi: int
    rotation: int = 0
    skew: float = 0.0
    languages: str
    #: Mean word confidence of the page (0-100).
    confidence: float | None = None


class HiddenText(BaseModel):
    """A word no reader can see (see `app.pipeline.visibility`): kept out of `words` and `text`."""

    text: str
    #: invisible (rendering mode), tiny, off_page, background_colour or covered.
    reason: str
    x0: float
    top: float
    x1: float
    bottom: float


class Page(BaseModel):
    number: int  # 1-based
    width: float
    height: float
    text: str
    words: list[Word] = Field(default_factory=list)
    #: Tables as pdfplumber finds them: rows of cell texts (None for an empty cell).
    tables: list[list[list[str | None]]] = Field(default_factory=list)
    hidden: list[HiddenText] = Field(default_factory=list)
    #: Words or text beyond the per-page caps were dropped (a `text.truncated` warning).
    truncated: bool = False
    #: Set when the words were read by OCR from the page image (the page had no usable text layer).
    ocr: OcrInfo | None = None


class ReadResult(BaseModel):
    """The text layer of a PDF (or, for an e-invoice XML, no pages at all)."""

    kind: str  # "pdf" | "xml"
    page_count: int
    pages: list[Page] = Field(default_factory=list)
    #: Name and bytes-length of an embedded e-invoice XML, when the PDF carries one.
    embedded_xml_name: str | None = None
    #: Why pages without a text layer were not read by OCR (models missing), as what to do about it.
    ocr_problem: str | None = None

    @property
    def char_count(self) -> int:
        return sum(len(p.text.strip()) for p in self.pages)
