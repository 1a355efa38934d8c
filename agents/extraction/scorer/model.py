"""The field scorer: gradient-boosted trees (LightGBM) over candidate features, saved as one JSON file.

Training is deterministic (one thread, fixed seed, `deterministic=True`): the same examples give the
same model, byte for byte. The file holds LightGBM's own text model (no pickle), the feature names,
and a calibration table fitted on out-of-fold predictions (grouped by document, so a document never
calibrates its own score). Confidence is the calibrated probability that the chosen option is right.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.extraction.scorer.examples import Example
from agents.extraction.scorer.explain import reasons
from agents.extraction.scorer.features import FEATURES, FIELDS, Option, Page, featurize
from agents.extraction.scorer.ranking import Ranking

FORMAT = "kontor-field-scorer/1"
#: Small on purpose: a few thousand rows from a few hundred invoices.
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.08,
    "num_leaves": 15,
    "min_data_in_leaf": 8,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbosity": -1,
}
ROUNDS = 150
#: Calibration: out-of-fold folds and the probability bins (lower bounds, highest first).
CALIBRATION_FOLDS = 4
BINS = (0.9, 0.75, 0.5, 0.25, 0.0)
_CATEGORICAL = ["field", "source_kind", "label_dir"]


@dataclass
class FieldScorer:
    """A trained ranker for the header fields in `FIELDS`."""

    model_text: str
    #: (lower bound of the chosen option's share, observed share right), highest bound first.
    calibration: list[tuple[float, float]]
    seed: int
    examples: int

    def __post_init__(self) -> None:
        import lightgbm

        self._booster = lightgbm.Booster(model_str=self.model_text)

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        return [float(p) for p in self._booster.predict(_matrix(rows), num_threads=1)]

    def contributions(self, row: list[float]) -> list[float]:
        """Per feature, how much it moved this row's log-odds (the last entry is the bias)."""
        contributions = self._booster.predict(_matrix([row]), pred_contrib=True, num_threads=1)
        return [float(c) for c in contributions[0]]

    def rank(self, field: str, page: Page, options: Sequence[Option]) -> Ranking | None:
        if field not in FIELDS or not options:
            return None
        rows = featurize(page, field, options)
        probs = self.probabilities(rows)
        index = max(range(len(options)), key=lambda i: (probs[i], -i))
        share = chosen_share(probs, index)
        why = reasons(options[index], rows[index], self.contributions(rows[index]))
        return Ranking(index, self.confidence(share), probs, why)

    def confidence(self, share: float) -> float:
        for bound, right in self.calibration:
            if share >= bound:
                return right
        return self.calibration[-1][1] if self.calibration else share

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "features": list(FEATURES),
                "fields": list(FIELDS),
                "seed": self.seed,
                "examples": self.examples,
                "calibration": self.calibration,
                "model": self.model_text,
            },
            ensure_ascii=False,
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> FieldScorer:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("features") != list(FEATURES):
            raise ValueError(f"{path.name}: not a field scorer of this version (features differ)")
        calibration = [(float(b), float(r)) for b, r in data["calibration"]]
        return cls(data["model"], calibration, int(data["seed"]), int(data["examples"]))


def chosen_share(probs: Sequence[float], index: int) -> float:
    """The chosen option's probability, shaded by its rivals': two strong options make a doubtful pick."""
    total = sum(probs)
    return probs[index] * (probs[index] / total if total > 0 else 1.0)


def train(examples: Sequence[Example], seed: int = 7, *, calibrate: bool = True) -> FieldScorer:
    """Fit the scorer on `examples`; the same examples and seed give the same model.

    `calibrate=False` skips the out-of-fold calibration (a fifth of the cost; confidence is then
    the raw share), for evaluations that only count right and wrong.
    """
    rows = [row for e in examples for row in e.rows]
    if not rows or not any(label for e in examples for label in e.labels):
        raise ValueError("no training example has a right option")
    model_text = _fit(examples, seed)
    calibration = _calibrate(examples, seed) if calibrate else []
    return FieldScorer(model_text, calibration, seed, len(examples))


def _fit(examples: Sequence[Example], seed: int) -> str:
    import lightgbm

    rows = [row for e in examples for row in e.rows]
    labels = [float(label) for e in examples for label in e.labels]
    params = {**PARAMS, "seed": seed}
    data = lightgbm.Dataset(
        _matrix(rows),
        label=_matrix([labels])[0],
        feature_name=list(FEATURES),
        categorical_feature=_CATEGORICAL,
        params={"verbosity": -1, "min_data_in_bin": 1},
        free_raw_data=False,
    )
    booster = lightgbm.train(params, data, num_boost_round=ROUNDS)
    return str(booster.model_to_string())


def _calibrate(examples: Sequence[Example], seed: int) -> list[tuple[float, float]]:
    """Bins of the chosen option's share against how often it was right, from out-of-fold models."""
    docs = sorted({e.document for e in examples})
    if len(docs) < CALIBRATION_FOLDS * 2:
        return [(0.0, 0.5)]
    fold_of = {doc: i % CALIBRATION_FOLDS for i, doc in enumerate(docs)}
    outcomes: list[tuple[float, bool]] = []
    for fold in range(CALIBRATION_FOLDS):
        train_part = [e for e in examples if fold_of[e.document] != fold]
        test_part = [e for e in examples if fold_of[e.document] == fold and any(e.labels)]
        if not test_part or not any(label for e in train_part for label in e.labels):
            continue
        scorer = FieldScorer(_fit(train_part, seed), [], seed, len(train_part))
        for example in test_part:
            probs = scorer.probabilities(example.rows)
            index = max(range(len(probs)), key=lambda i: (probs[i], -i))
            outcomes.append((chosen_share(probs, index), example.labels[index]))
    return calibration_table(outcomes)


def calibration_table(outcomes: Sequence[tuple[float, bool]]) -> list[tuple[float, float]]:
    """(bin lower bound, share right) per bin, highest bin first; adjacent bins that would let confidence
    rise as the share falls are pooled (pool-adjacent-violators), an empty bin takes its neighbour's."""
    counts: list[tuple[int, int]] = []  # (right, total) per bin, lowest bin first
    for bound, upper in reversed(list(zip(BINS, (1.01, *BINS), strict=False))):
        inside = [right for share, right in outcomes if bound <= share < upper]
        counts.append((sum(inside), len(inside)))
    blocks: list[list[int]] = []  # [right, total, bins]
    for right, total in counts:
        blocks.append([right, total, 1])
        while len(blocks) > 1 and _rate(blocks[-2]) > _rate(blocks[-1]):
            last = blocks.pop()
            blocks[-1] = [blocks[-1][0] + last[0], blocks[-1][1] + last[1], blocks[-1][2] + last[2]]
    rates = [round(_rate(b), 3) for b in blocks for _ in range(b[2])]
    known = [r for r in rates if r >= 0]
    filled: list[float] = []
    for rate in rates:  # an empty bin takes the figure of the bin below it (or the lowest known)
        filled.append(rate if rate >= 0 else (filled[-1] if filled else (known[0] if known else 0.5)))
    return list(zip(BINS, reversed(filled), strict=True))


def _rate(block: list[int]) -> float:
    # An empty bin is no evidence either way: it sorts as the lowest rate and joins its neighbour.
    return block[0] / block[1] if block[1] else -1.0


def _matrix(rows: list[list[float]]) -> Any:
    import numpy

    return numpy.asarray(rows, dtype=numpy.float64).reshape(len(rows), -1)
