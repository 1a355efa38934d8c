"""The hand-labelled account categories of corpus line descriptions (`tests/data/booking_labels.json`)."""

from __future__ import annotations

import json

import pytest

from agents.booking import load_chart
from agents.booking.accounts import keyword_matches
from tests.corpus import REPO_ROOT

LABELS = json.loads((REPO_ROOT / "tests" / "data" / "booking_labels.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("chart", ["skr03", "skr04"])
def test_every_label_is_a_category_of_the_chart(chart: str) -> None:
    categories = {a.category for a in load_chart(chart).bookable}
    assert len(LABELS) >= 100
    assert {row["category"] for row in LABELS} <= categories
    assert all(row["description"] and "vendor" in row for row in LABELS)


def test_keywords_are_rarely_wrong_when_they_answer() -> None:
    chart = load_chart("skr03")
    answered = [(row, keyword_matches(row["description"], chart)) for row in LABELS]
    unique = [(row, found[0][0]) for row, found in answered if len(found) == 1]
    right = sum(account.category == row["category"] for row, account in unique)
    assert len(unique) >= 40
    assert right / len(unique) >= 0.95
