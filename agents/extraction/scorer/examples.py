"""Training examples from labelled invoices: every header decision the extraction makes, with its options
marked right or wrong against the truth (compared as `kontor eval` compares them).

The options are exactly those the extraction agent offers at run time: the agent runs with a ranker
that only records what it is asked, so training and use see the same candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from agents.extraction.scorer.features import FEATURES, FIELDS, Option, Page, featurize
from agents.extraction.scorer.ranking import Ranking
from agents.extraction.scoring import expected_values, same
from schemas.document import ReadResult


@dataclass(frozen=True)
class Example:
    """One field decision on one document: a feature row per option and whether that option is right."""

    document: str
    field: str
    rows: list[list[float]]
    labels: list[bool]
    texts: list[str] = _field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "field": self.field,
            "rows": self.rows,
            "labels": self.labels,
            "texts": self.texts,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Example:
        rows = [[float(x) for x in row] for row in data["rows"]]
        if any(len(row) != len(FEATURES) for row in rows):
            raise ValueError("example rows do not match this scorer's features")
        return cls(data["document"], data["field"], rows, [bool(x) for x in data["labels"]], data["texts"])


@dataclass
class _Recorder:
    """A ranker that declines every choice and keeps the options it was shown."""

    seen: list[tuple[str, Page, list[Option]]] = _field(default_factory=list)

    def rank(self, field: str, page: Page, options: Sequence[Option]) -> Ranking | None:
        self.seen.append((field, page, list(options)))
        return None


def decisions(read: ReadResult) -> list[tuple[str, Page, list[Option]]]:
    """Every scored header decision the agent makes on this document, with the options it offers."""
    from agents.extraction.agent import ExtractionAgent  # the agent imports this package's ranking

    recorder = _Recorder()
    ExtractionAgent(None, scorer=recorder, line_items=False).extract(read)
    return [(f, p, o) for f, p, o in recorder.seen if f in FIELDS]


def examples_from_document(read: ReadResult, truth: Mapping[str, Any], document: str) -> list[Example]:
    """One example per field the truth names and the agent had options for.

    `truth` is a truth JSON as in the corpora (or a corrected invoice dumped with `model_dump(mode="json")`).
    Fields the truth marks `uncertain` are left out: they teach nothing sure.
    """
    expected = expected_values(truth)
    uncertain = set(truth.get("uncertain") or [])
    found: list[Example] = []
    for name, page, options in decisions(read):
        if name not in expected or name in uncertain:
            continue
        labels = [same(name, option.value, expected[name]) for option in options]
        rows = featurize(page, name, options)
        found.append(Example(document, name, rows, labels, [o.text for o in options]))
    return found
