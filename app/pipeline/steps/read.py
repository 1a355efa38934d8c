"""Step 1, `read`: text and words with boxes per page, read by the reading agent in the sandbox."""

from __future__ import annotations

from collections.abc import Callable

from agents.reading import ReadJob, TextCaps, read_job, read_pdf
from agents.reading.scanned import OcrConfig
from agents.reading.visibility import hidden_text_finding
from app.attributes import from_attributes
from app.config import LimitsSettings, OcrSettings, SandboxSettings
from app.models import Status
from app.pipeline.sandbox import SandboxLimits, run_sandboxed
from app.pipeline.state import PipelineState, StepName, StepOutput
from schemas.document import ReadResult
from schemas.finding import Finding, FindingCode

#: Reads a PDF's pages within the caps (pages without text by OCR when configured); the service runs
#: it in the sandbox, the command line in-process.
Reader = Callable[[bytes, TextCaps, OcrConfig | None], ReadResult]


def sandbox_limits(settings: SandboxSettings) -> SandboxLimits:
    return from_attributes(SandboxLimits, settings)


def text_caps(limits: LimitsSettings) -> TextCaps:
    return TextCaps(max_words=limits.max_words_per_page, max_chars=limits.max_chars_per_page)


def ocr_config(settings: OcrSettings) -> OcrConfig | None:
    if not settings.enabled:
        return None
    return from_attributes(OcrConfig, settings)


def read_sandboxed(
    data: bytes, caps: TextCaps, limits: SandboxLimits, ocr: OcrConfig | None = None
) -> ReadResult:
    """`read_pdf` in a child process under `limits` (see `app.pipeline.sandbox`)."""
    return ReadResult.model_validate_json(run_sandboxed(read_job, ReadJob(data, caps, ocr), limits))


def in_process(data: bytes, caps: TextCaps, ocr: OcrConfig | None = None) -> ReadResult:
    """`read_pdf` in this process: for the command line, which reads the user's own files."""
    return read_pdf(data, caps, ocr)


class ReadStep:
    """Text and words with boxes per page; a PDF without a text layer goes to a person.

    Over the sandbox's limits it raises `ProcessingTimeoutError` or `ResourceLimitError`; pages cut
    to the text caps give a `text.truncated` warning each.
    """

    name = StepName.READ

    def __init__(
        self,
        sandbox: SandboxLimits | None = None,
        caps: TextCaps | None = None,
        *,
        ocr: OcrConfig | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.sandbox = sandbox or sandbox_limits(SandboxSettings())
        self.caps = caps or text_caps(LimitsSettings())
        #: Tesseract for pages without usable text; None: such a page stays unread (`text.missing`).
        self.ocr = ocr
        self.reader = reader

    def applies(self, state: PipelineState) -> bool:
        return state.media_type == "application/pdf"

    def run(self, state: PipelineState) -> StepOutput:
        result = self._read(state.content)
        truncated = [_truncated(page.number, self.caps) for page in result.pages if page.truncated]
        if result.char_count == 0:
            missing = Finding.of(
                FindingCode.TEXT_MISSING,
                "error",
                "The PDF has no text layer (a scan?). It needs OCR or a person to read it."
                + (f" {result.ocr_problem}" if result.ocr_problem else ""),
            )
            return StepOutput(
                data=result,
                findings=[missing, *truncated],
                stop_with=Status.NEEDS_REVIEW,
                stop_reason="text.missing",
            )
        hidden = hidden_text_finding(result.pages)
        findings = [*truncated, hidden] if hidden else truncated
        return StepOutput(data=result, findings=findings)

    def _read(self, data: bytes) -> ReadResult:
        if self.reader is not None:
            return self.reader(data, self.caps, self.ocr)
        return read_sandboxed(data, self.caps, self.sandbox, self.ocr)


def _truncated(page: int, caps: TextCaps) -> Finding:
    return Finding.of(
        FindingCode.TEXT_TRUNCATED,
        "warning",
        (
            f"Page {page} has more text than an invoice page can ({caps.max_words} words, "
            f"{caps.max_chars} characters); only the beginning was read."
        ),
    )
