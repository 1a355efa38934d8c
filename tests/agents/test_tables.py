"""The word tables are data files: each language's file loads, and one that does not fit is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from agents.extraction import vocab
from agents.extraction.vocab import Vocabulary
from agents.validation import class_words
from agents.validation.class_words import ClassWords


def _files(package: Any) -> set[str]:
    return {path.stem for path in Path(package.__file__).parent.glob("*.toml")}


def test_every_language_file_is_loaded() -> None:
    assert {v.language for v in vocab.LANGUAGES} == _files(vocab)
    assert {w.language for w in class_words.LANGUAGES} == _files(class_words)
    assert len(vocab.LANGUAGES) == len(_files(vocab)) > 1


def _vocabulary(**changes: Any) -> dict[str, Any]:
    return {
        "language": "xx",
        "labels": {"invoice_number": [["rechnungsnummer", 1.0]]},
        "months": {"januar": 1},
        "seller_headers": ["von"],
        "buyer_headers": ["an"],
        **changes,
    }


def test_a_fitting_vocabulary_loads() -> None:
    assert Vocabulary.model_validate(_vocabulary()).labels["invoice_number"] == (("rechnungsnummer", 1.0),)


@pytest.mark.parametrize(
    "changes",
    [
        {"labels": {"invoice_number": [["rechnungsnummer", 1.5]]}},
        {"labels": {"invoice_number": [["rechnung(snummer", 1.0]]}},
        {"months": {"januar": 13}},
        {"countries": {"deutschland": "Germany"}},
        {"seller_header": ["von"]},
    ],
)
def test_a_vocabulary_that_does_not_fit_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Vocabulary.model_validate(_vocabulary(**changes))


def test_class_words_name_only_known_classes() -> None:
    with pytest.raises(ValidationError):
        ClassWords.model_validate({"language": "xx", "titles": {"bill": ["Rechnung"]}})
