"""Step 3, `extract`: the invoice as the page shows it, by the extraction agent (hybrids too: cross-check)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agents.base import Backend
from app.pipeline.state import ExtractOutput, PipelineState, StepName, StepOutput

if TYPE_CHECKING:
    from agents.extraction.agent import ExtractionAgent


class ExtractStep:
    name = StepName.EXTRACT

    def __init__(
        self, backend: Backend | None, *, company: tuple[str | None, str | None] = (None, None)
    ) -> None:
        self.backend = backend
        #: (name, VAT ID) of our company: the party that matches it is the buyer.
        self.company = company
        self._agent: ExtractionAgent | None = None

    def applies(self, state: PipelineState) -> bool:
        return state.read is not None

    def run(self, state: PipelineState) -> StepOutput:
        assert state.read is not None  # applies() said so
        result = self.agent.extract(state.read)
        return StepOutput(
            data=ExtractOutput(invoice=result.invoice),
            findings=result.findings,
            model_questions=result.questions,
        )

    @property
    def agent(self) -> ExtractionAgent:
        if self._agent is None:
            # Loaded on first use: its rules and vocabularies cost an API process that never extracts.
            from agents.extraction.agent import ExtractionAgent, Us

            self._agent = ExtractionAgent(self.backend, us=Us(*self.company))
        return self._agent
