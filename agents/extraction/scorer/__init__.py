"""A small learned field scorer for header extraction (issue #11): features, training, ranking.

API (stable for `kontor train`):
- `examples_from_document(read, truth, document) -> list[Example]`: training rows from one labelled invoice.
- `train(examples, seed) -> FieldScorer`; `FieldScorer.save(path)` / `FieldScorer.load(path)`.
- `FieldScorer.rank(field, page, options) -> Ranking | None`: what `Record` calls while extracting.
- `ExtractionAgent(backend, scorer=...)`: a `FieldScorer` (or any `Ranker`), None for rules only, or
  "shipped" (the default) for `shipped_scorer()`.
"""

from agents.extraction.scorer.examples import Example, examples_from_document
from agents.extraction.scorer.features import FIELDS, Option, Page
from agents.extraction.scorer.model import FieldScorer, train
from agents.extraction.scorer.ranking import Ranker, Ranking
from agents.extraction.scorer.shipped import MODEL_PATH, shipped_scorer

__all__ = [
    "FIELDS",
    "MODEL_PATH",
    "Example",
    "FieldScorer",
    "Option",
    "Page",
    "Ranker",
    "Ranking",
    "examples_from_document",
    "shipped_scorer",
    "train",
]
