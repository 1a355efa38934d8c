"""The `read` step's work: a PDF's text layer as words with boxes, page by page."""

from __future__ import annotations

import io
import logging

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.page import Page as PlumberPage
from pdfplumber.utils.exceptions import PdfminerException

from app.errors import CorruptDocumentError, EmptyUploadError
from app.pipeline.render_modes import RenderModes, render_modes
from app.pipeline.visibility import strip_format, visible_page
from schemas.document import HiddenText, Page, ReadResult, Word

log = logging.getLogger(__name__)

#: Pages beyond this are not read: invoices are short, and a 500-page upload should not stall a worker.
MAX_PAGES = 50


def read_pdf(data: bytes) -> ReadResult:
    """Read every page's words (with boxes in PDF points, top-left origin) and tables.

    Raises `EmptyUploadError` for no bytes and `CorruptDocumentError` for a file pdfplumber cannot
    open (broken, truncated or password-protected), each with a reason a user understands.
    """
    if not data:
        raise EmptyUploadError("The file is empty.")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf, render_modes(data) as modes:
            pages = [_read_page(page, i + 1, modes) for i, page in enumerate(pdf.pages[:MAX_PAGES])]
            page_count = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many private types for broken files, wrapped by pdfplumber
        raise _read_error(exc) from exc
    return ReadResult(kind="pdf", page_count=page_count, pages=pages)


def _read_error(exc: Exception) -> CorruptDocumentError:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
        return CorruptDocumentError("The PDF is encrypted with a password; upload it unprotected.")
    reason = str(cause) or type(cause).__name__
    return CorruptDocumentError(f"The PDF cannot be read: {reason}.")


def _read_page(raw_page: PlumberPage, number: int, modes: RenderModes) -> Page:
    """The words a reader sees on the page; hidden ones are listed apart (`Page.hidden`)."""
    visibility = visible_page(raw_page, modes.invisible_boxes(number - 1))
    page = visibility.page
    words = [
        Word(text=text, x0=w["x0"], top=w["top"], x1=w["x1"], bottom=w["bottom"])
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
        if (text := strip_format(w["text"]))
    ]
    text = strip_format(page.extract_text(layout=False) or "")
    try:
        tables = page.extract_tables()
    except Exception:  # table detection is best effort; words still carry everything
        log.warning("table extraction failed on page %d", number, exc_info=True)
        tables = []
    return Page(
        number=number,
        width=float(page.width),
        height=float(page.height),
        text=text,
        words=words,
        tables=[[list(row) for row in table] for table in tables],
        hidden=[
            HiddenText(text=h.text, reason=h.reason, x0=h.box[0], top=h.box[1], x1=h.box[2], bottom=h.box[3])
            for h in visibility.hidden
        ],
    )
