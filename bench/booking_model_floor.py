"""How sure the model must be before its choice from the chart's short list replaces the line-kind fallback
(`agents.booking.propose.MODEL_FLOOR`), chosen by two-fold cross-validation split by vendor: the floor is
picked on one fold's labelled lines and scored on the other's, so no vendor sits on both sides.

Run: `.venv/bin/python -m bench.booking_model_floor [--threads N]` (the embedded model; slow on few cores).
"""

from __future__ import annotations

import argparse
import sys
import zlib
from typing import Any

from agents.booking import load_chart
from agents.booking.propose import BookingPolicy
from bench.booking import MemoModel, _backend
from bench.booking_labels import account_rows, category_rows, score

GRID = (0.0, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 1.01)
Sets = list[tuple[str, list[dict[str, Any]]]]


def fold(row: dict[str, Any]) -> int:
    return zlib.crc32(row["vendor"].encode("utf-8")) % 2


def right(floor: float, sets: Sets, policy: BookingPolicy, model: MemoModel) -> int:
    propose_module = sys.modules["agents.booking.propose"]
    saved = propose_module.MODEL_FLOOR  # type: ignore[attr-defined]
    propose_module.MODEL_FLOOR = floor  # type: ignore[attr-defined]
    try:
        return sum(score(rows, policy, model, by=by).right for by, rows in sets)
    finally:
        propose_module.MODEL_FLOOR = saved  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    chart = load_chart("skr03")
    policy = BookingPolicy(chart, chart.default)
    model = MemoModel(_backend(args.threads))
    sets: Sets = [("category", category_rows()), ("account", account_rows())]
    for test in (0, 1):
        train = [(by, [r for r in rows if fold(r) != test]) for by, rows in sets]
        held = [(by, [r for r in rows if fold(r) == test]) for by, rows in sets]
        on_train = {floor: right(floor, train, policy, model) for floor in GRID}
        best = max(GRID, key=lambda floor: on_train[floor])
        lines = sum(len(rows) for _by, rows in held)
        sys.stdout.write(
            f"fold {test}: chosen {best} (train {on_train}); held out right "
            f"{right(best, held, policy, model)}/{lines}, with no floor {right(0.0, held, policy, model)}, "
            f"without the short-list model {right(1.01, held, policy, model)}\n"
        )


if __name__ == "__main__":
    main()
