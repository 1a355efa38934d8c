"""Confidence: rule evidence and model margins mapped onto "right this often".

The table is fitted on the development corpus by `evaluate` (bins of raw score against observed
accuracy) and kept coarse on purpose: a handful of bins generalise, a fine curve memorises.
"""

from __future__ import annotations

from typing import Literal

Basis = Literal["rule", "model"]

#: (raw score lower bound, calibrated confidence), highest bound first, per basis.
_TABLE: dict[Basis, tuple[tuple[float, float], ...]] = {
    # Fitted on the development corpus (file level, both styles), then shaded down for unseen layouts.
    "rule": ((0.95, 0.97), (0.85, 0.96), (0.7, 0.93), (0.5, 0.88), (0.3, 0.65), (0.0, 0.1)),
    # The model's picks were right less often than its margins claim (development corpus, designed layouts).
    "model": ((0.9, 0.6), (0.7, 0.5), (0.5, 0.4), (0.0, 0.3)),
}


def raw_score(evidence: float, probability: float = 1.0) -> float:
    """Combine rule evidence in [0, 1] with the chosen option's probability in [0, 1]."""
    return max(0.0, min(1.0, evidence * probability))


def calibrated(basis: Basis, score: float) -> float:
    for bound, confidence in _TABLE[basis]:
        if score >= bound:
            return confidence
    return _TABLE[basis][-1][1]
