"""What the `read` step makes of a document: text, words and boxes per page."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Word(BaseModel):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


class HiddenText(BaseModel):
    """A word no reader can see (see `agents.reading.visibility`): kept out of `words` and `text`."""

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


class ReadResult(BaseModel):
    """The text layer of a PDF (or, for an e-invoice XML, no pages at all)."""

    kind: str  # "pdf" | "xml"
    page_count: int
    pages: list[Page] = Field(default_factory=list)
    #: Name and bytes-length of an embedded e-invoice XML, when the PDF carries one.
    embedded_xml_name: str | None = None

    @property
    def char_count(self) -> int:
        return sum(len(p.text.strip()) for p in self.pages)
