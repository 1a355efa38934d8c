"""The extraction agent with what this installation learned: a vendor's earlier corrections first.

The rules (and the trained scorer, when one is installed) extract the invoice; then the vendor layout
memory (`agents.extraction.memory`) puts in the values that stand where the vendor's approved values
stood, and the value findings are checked again on the result.
"""

from __future__ import annotations

from typing import Protocol

from agents.extraction.agent import ExtractionResult, value_findings
from agents.extraction.memory import LayoutMemory, recall
from schemas.document import ReadResult

#: The findings `value_findings` makes: recomputed after the memory changed values.
_VALUE_CODES = frozenset({"dates.due_before_issue", "extraction.missing_field"})


class Extractor(Protocol):
    def extract(self, read: ReadResult) -> ExtractionResult: ...


class LearnedAgent:
    """`Extractor` that applies the vendor layout memory on top of another extractor."""

    def __init__(self, agent: Extractor, memory: LayoutMemory | None) -> None:
        self.agent = agent
        self.memory = memory

    def extract(self, read: ReadResult) -> ExtractionResult:
        result = self.agent.extract(read)
        if self.memory is None:
            return result
        invoice, changed = recall(self.memory, read, result.invoice)
        if not changed:
            return result
        kept = [f for f in result.findings if f.code not in _VALUE_CODES]
        return ExtractionResult(
            invoice=invoice, findings=[*value_findings(invoice), *kept], questions=result.questions
        )
