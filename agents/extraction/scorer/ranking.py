"""The contract between extraction and a candidate ranker: `Record` asks, a ranker answers or declines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from agents.extraction.scorer.features import Option, Page


@dataclass(frozen=True)
class Ranking:
    """The option a ranker chose, how sure it is (calibrated), and why."""

    index: int
    #: Calibrated probability that the chosen option is right.
    confidence: float
    #: The model's probability per option (uncalibrated), in option order.
    probabilities: list[float]
    #: Top reasons for the choice, most weighty first ("label 'Invoice No' left of value").
    reasons: tuple[str, ...] = field(default=())
    #: The embedded model broke the ranker's near tie (the field's source kind is then "model").
    by_model: bool = False

    @property
    def margin(self) -> float:
        ranked = sorted(self.probabilities, reverse=True)
        return ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)


class Ranker(Protocol):
    def rank(self, field: str, page: Page, options: Sequence[Option]) -> Ranking | None:
        """The chosen option for `field`, or None to leave the choice to the rules."""
        ...
