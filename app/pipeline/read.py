"""The `read` step's work: a PDF's text layer as words with boxes, page by page.

It runs in the sandbox (`read_job`); `TextCaps` bound what one page may hand to the main process.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.page import Page as PlumberPage
from pdfplumber.utils.exceptions import PdfminerException

from app.errors import CorruptDocumentError, EmptyUploadError, EncryptedDocumentError
from app.pdfium import PDFIUM_LOCK
from app.pipeline.ocr import OcrConfig, ocr_pages
from app.pipeline.render_modes import RenderModes, render_modes
from app.pipeline.sandbox import SandboxLimits, run_sandboxed
from app.pipeline.visibility import strip_format, visible_page
from schemas.document import HiddenText, Page, ReadResult, Word

log = logging.getLogger(__name__)

#: Pages beyond this are not read: invoices are short, and a 500-page upload should not stall a worker.
MAX_PAGES = 50


@dataclass(frozen=True)
class TextCaps:
    """Per page, at most this many words and characters (a text bomb has millions)."""

    max_words: int
    max_chars: int


@dataclass(frozen=True)
class ReadJob:
    """What the sandboxed reader gets: the original and the caps."""

    data: bytes
    caps: TextCaps
    ocr: OcrConfig | None = None


def read_job(job: ReadJob) -> bytes:
    """`read_pdf` for the sandbox (a module-level function of one picklable argument).

    The result travels as JSON: pickling thousands of `Word` models costs several times more.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # OCR on one thread: workers run side by side
    return read_pdf(job.data, job.caps, job.ocr).model_dump_json().encode()


def read_sandboxed(
    data: bytes, caps: TextCaps, limits: SandboxLimits, ocr: OcrConfig | None = None
) -> ReadResult:
    """`read_pdf` in a child process under `limits` (see `app.pipeline.sandbox`)."""
    return ReadResult.model_validate_json(run_sandboxed(read_job, ReadJob(data, caps, ocr), limits))


def read_pdf(data: bytes, caps: TextCaps | None = None, ocr: OcrConfig | None = None) -> ReadResult:
    """Read every page's words (with boxes in PDF points, top-left origin) and tables.

    With `caps`, a page with more characters than allowed is not laid out word by word (pdfminer
    would need minutes and gigabytes): it keeps its first characters as text, no words, and is
    marked `truncated`; so is a page whose words or text had to be cut. With `ocr`, pages without
    usable text are read by Tesseract (`app.pipeline.ocr`).

    Raises `EmptyUploadError` for no bytes and `CorruptDocumentError` for a file pdfplumber cannot
    open (broken, truncated or password-protected), each with a reason a user understands.
    """
    if not data:
        raise EmptyUploadError("The file is empty.")
    oversized = _oversized_pages(data, caps) if caps else {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf, render_modes(data) as modes:
            pages = [
                oversized.get(i + 1) or _capped(_read_page(page, i + 1, modes), caps)
                for i, page in enumerate(pdf.pages[:MAX_PAGES])
            ]
            page_count = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many private types for broken files, wrapped by pdfplumber
        raise _read_error(exc) from exc
    problem = None
    if ocr is not None:
        pages, problem = ocr_pages(data, pages, ocr)
    return ReadResult(kind="pdf", page_count=page_count, pages=pages, ocr_problem=problem)


def _oversized_pages(data: bytes, caps: TextCaps) -> dict[int, Page]:
    with PDFIUM_LOCK:
        return _count_oversized(data, caps)


def _count_oversized(data: bytes, caps: TextCaps) -> dict[int, Page]:
    """Pages over the character cap, counted by pdfium (about a second for a million characters,
    where pdfminer needs minutes and gigabytes). pdfium reads at most 32767 characters of one string
    operand, so a page made of a single giant string is left to the sandbox's limits."""
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return {}  # pdfplumber reports what is wrong with it
    try:
        oversized = {}
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            textpage = page.get_textpage()
            if textpage.count_chars() > caps.max_chars:
                width, height = page.get_size()
                text = textpage.get_text_range(0, caps.max_chars)
                oversized[index + 1] = Page(
                    number=index + 1, width=width, height=height, text=text, truncated=True
                )
        return oversized
    finally:
        pdf.close()


def _capped(page: Page, caps: TextCaps | None) -> Page:
    if caps is None or (len(page.words) <= caps.max_words and len(page.text) <= caps.max_chars):
        return page
    return page.model_copy(
        update={"words": page.words[: caps.max_words], "text": page.text[: caps.max_chars], "truncated": True}
    )


def _read_error(exc: Exception) -> CorruptDocumentError:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
        return EncryptedDocumentError("The PDF is encrypted with a password; upload it unprotected.")
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
