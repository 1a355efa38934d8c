"""Accuracy figures of a set of scored documents: per field, header, totals, line items, calibration.

Each figure is averaged within a duplicate group first (one invoice in five profiles counts once),
then pooled over groups. Fields the truth marks uncertain are reported apart.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable

from pydantic import BaseModel, Field

from agents.extraction.scoring import ADDRESS_FIELDS, SCORED_FIELDS, STATUTORY_FIELDS, Marks
from schemas.invoice import AMOUNT_FIELDS

_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)

#: (duplicate group, marks, line-item F1 on amounts, line-item F1 on amounts and descriptions)
Row = tuple[str, Marks, float | None, float | None]


class FieldAccuracy(BaseModel):
    accuracy: float
    groups: int


class CalibrationBin(BaseModel):
    lower: float
    upper: float
    count: int
    mean_confidence: float
    accuracy: float


class StyleReport(BaseModel):
    documents: int
    groups: int
    header_accuracy: float | None
    totals_accuracy: float | None
    line_items_f1: float | None
    #: Line items matched on amount and (fuzzily) on description.
    line_items_f1_described: float | None = None
    #: Addresses are reported apart so the header figure stays comparable with earlier runs.
    address_accuracy: float | None = None
    #: The delivery date, likewise apart (its truth on the hybrid set is the embedded XML).
    delivery_date_accuracy: float | None = None
    fields: dict[str, FieldAccuracy]
    #: Fields the truth marks uncertain (placeholders, conflicting amounts): never in the figures above.
    uncertain: dict[str, FieldAccuracy] = Field(default_factory=dict)
    calibration: list[CalibrationBin]


def summarise(rows: list[Row]) -> StyleReport:
    by_group: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_group[row[0]].append(row)
    per_field = _per_field(by_group, lambda m: m.fields)
    return StyleReport(
        documents=len(rows),
        groups=len(by_group),
        header_accuracy=_pooled(per_field, lambda f: f not in AMOUNT_FIELDS and f not in STATUTORY_FIELDS),
        totals_accuracy=_pooled(per_field, lambda f: f in AMOUNT_FIELDS),
        line_items_f1=_group_mean(by_group, 2),
        line_items_f1_described=_group_mean(by_group, 3),
        address_accuracy=_pooled(per_field, lambda f: f in ADDRESS_FIELDS),
        delivery_date_accuracy=_pooled(per_field, lambda f: f == "delivery_date"),
        fields=_accuracies(per_field),
        uncertain=_accuracies(_per_field(by_group, lambda m: m.uncertain)),
        calibration=calibration(rows),
    )


def _per_field(
    by_group: dict[str, list[Row]], pick: Callable[[Marks], dict[str, bool]]
) -> dict[str, list[float]]:
    per_field: dict[str, list[float]] = defaultdict(list)
    for docs in by_group.values():
        for name in SCORED_FIELDS:
            marks = [pick(d[1])[name] for d in docs if name in pick(d[1])]
            if marks:
                per_field[name].append(sum(marks) / len(marks))
    return per_field


def _accuracies(per_field: dict[str, list[float]]) -> dict[str, FieldAccuracy]:
    return {f: FieldAccuracy(accuracy=round(sum(v) / len(v), 4), groups=len(v)) for f, v in per_field.items()}


def _group_mean(by_group: dict[str, list[Row]], index: int) -> float | None:
    means = [_mean(v for d in docs if isinstance(v := d[index], float)) for docs in by_group.values()]
    return _mean(m for m in means if m is not None)


def _pooled(per_field: dict[str, list[float]], keep: Callable[[str], bool]) -> float | None:
    values = [v for name, marks in per_field.items() if keep(name) for v in marks]
    return round(sum(values) / len(values), 4) if values else None


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else None


def calibration(rows: list[Row]) -> list[CalibrationBin]:
    pairs = [(c, m.fields[f]) for _, m, _, _ in rows for f, c in m.confidences.items() if f in m.fields]
    bins: list[CalibrationBin] = []
    for lower, upper in itertools.pairwise(_BINS):
        inside = [(c, ok) for c, ok in pairs if lower <= c < upper]
        if inside:
            bins.append(
                CalibrationBin(
                    lower=lower,
                    upper=min(upper, 1.0),
                    count=len(inside),
                    mean_confidence=round(statistics.fmean(c for c, _ in inside), 3),
                    accuracy=round(sum(ok for _, ok in inside) / len(inside), 3),
                )
            )
    return bins
