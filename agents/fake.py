"""A backend for unit tests: scores come from a plain function, no model is loaded."""

from __future__ import annotations

from collections.abc import Callable, Sequence

ScoreFn = Callable[[str, str], float]


def _prefer_first(context: str, option: str) -> float:
    return 0.0


class FakeBackend:
    """Scores each option with `fn(context, option)`; records every call for assertions."""

    def __init__(self, fn: ScoreFn = _prefer_first, *, name: str = "fake") -> None:
        self.name = name
        self._fn = fn
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def score(self, context: str, options: Sequence[str]) -> list[float]:
        self.calls.append((context, tuple(options)))
        return [self._fn(context, option) for option in options]
