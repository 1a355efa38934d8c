from pathlib import Path

import pytest

from agents.extraction.agent import ExtractionAgent
from agents.extraction.scorer import (
    MODEL_PATH,
    Example,
    FieldScorer,
    examples_from_document,
    shipped_scorer,
    train,
)
from agents.extraction.scorer.model import calibration_table
from tests.agents.extraction.scorer.docs import document

#: The issue's ceiling for a model shipped inside the package.
MAX_MODEL_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    found: list[Example] = []
    for seed in range(24):
        read, truth = document(seed)
        found.extend(examples_from_document(read, truth, f"doc-{seed}"))
    return found


def test_training_is_deterministic(examples: list[Example]) -> None:
    first, second = train(examples, seed=3), train(examples, seed=3)
    assert first.to_json() == second.to_json()


def test_a_saved_scorer_loads_and_ranks_alike(examples: list[Example], tmp_path: Path) -> None:
    scorer = train(examples, seed=3)
    scorer.save(tmp_path / "scorer.json")
    loaded = FieldScorer.load(tmp_path / "scorer.json")
    rows = examples[0].rows
    assert loaded.probabilities(rows) == scorer.probabilities(rows)


def test_a_file_of_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text('{"format": "kontor-field-scorer/1", "features": ["x"]}', encoding="utf-8")
    with pytest.raises(ValueError, match="features differ"):
        FieldScorer.load(path)


def test_training_without_a_right_option_is_refused() -> None:
    with pytest.raises(ValueError, match="right option"):
        train([Example("d", "invoice_number", [[0.0] * 29], [False])])


def test_a_trained_scorer_picks_the_right_values_and_says_why(examples: list[Example]) -> None:
    scorer = train(examples, seed=3)
    read, truth = document(101)
    invoice = ExtractionAgent(None, scorer=scorer).extract(read).invoice
    assert invoice.invoice_number == truth["invoice_number"]
    assert invoice.issue_date is not None
    assert invoice.issue_date.isoformat() == truth["issue_date"]
    source = invoice.fields["invoice_number"]
    assert source.source.startswith("scorer (")
    assert source.reasons
    assert all("(+" in reason for reason in source.reasons)
    assert 0.0 <= source.confidence <= 1.0


def test_calibration_never_rises_as_the_share_falls() -> None:
    outcomes = [(0.95, True), (0.92, False), (0.8, True), (0.6, True), (0.3, False), (0.1, False)]
    table = calibration_table(outcomes)
    rights = [right for _bound, right in table]
    assert rights == sorted(rights, reverse=True)
    # The top bin (1 of 2 right) falls below the two under it (1 of 1 each): the three pool to 3 of 4.
    assert table[:3] == [(0.9, 0.75), (0.75, 0.75), (0.5, 0.75)]
    assert table[3:] == [(0.25, 0.0), (0.0, 0.0)]
    assert calibration_table([(0.95, True)]) == [(b, 1.0) for b in (0.9, 0.75, 0.5, 0.25, 0.0)]


def test_the_shipped_model_is_small_and_used() -> None:
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size <= MAX_MODEL_BYTES
    scorer = shipped_scorer()
    assert scorer is not None
    read, _truth = document(7)
    invoice = ExtractionAgent(None).extract(read).invoice
    assert invoice.fields["invoice_number"].source.startswith("scorer (")
    rules = ExtractionAgent(None, scorer=None).extract(read).invoice
    assert not rules.fields["invoice_number"].source.startswith("scorer (")
