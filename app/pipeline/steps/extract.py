"""Step 3, `extract`: the invoice as the page shows it, by the extraction agent (hybrids too: cross-check)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agents.base import Backend
from app.pipeline.state import ExtractOutput, PipelineState, StepName, StepOutput
from app.scans.confidence import with_ocr_confidence

if TYPE_CHECKING:
    from agents.extraction.learned import Extractor
    from app.learning.model import CurrentModel, ExtractionModel


class ExtractStep:
    name = StepName.EXTRACT

    def __init__(
        self,
        backend: Backend | None,
        *,
        company: tuple[str | None, str | None] = (None, None),
        models: CurrentModel | None = None,
    ) -> None:
        self.backend = backend
        #: (name, VAT ID) of our company: the party that matches it is the buyer.
        self.company = company
        #: The installation's trained model (`kontor train`); None: the shipped one.
        self.models = models
        self._agent: tuple[ExtractionModel, Extractor] | None = None

    def applies(self, state: PipelineState) -> bool:
        return state.read is not None

    def run(self, state: PipelineState) -> StepOutput:
        assert state.read is not None  # applies() said so
        result = self.agent.extract(state.read)
        invoice = result.invoice
        if any(page.ocr is not None for page in state.read.pages):
            # A value read by OCR is no surer than its weakest word (`app.scans.confidence`).
            invoice = with_ocr_confidence(invoice, state.read)
        return StepOutput(
            data=ExtractOutput(invoice=invoice),
            findings=result.findings,
            model_questions=result.questions,
        )

    @property
    def agent(self) -> Extractor:
        # Loaded on first use (its rules and vocabularies cost an API process that never extracts), and
        # again when `kontor train` or a rollback made another version current.
        from agents.extraction.agent import Us
        from app.learning.model import SHIPPED, build_extractor

        model = self.models.get() if self.models is not None else SHIPPED
        if self._agent is None or self._agent[0] is not model:
            self._agent = (model, build_extractor(model, self.backend, Us(*self.company)))
        return self._agent[1]
