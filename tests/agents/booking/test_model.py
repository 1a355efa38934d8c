from __future__ import annotations

from agents.booking import AccountModel, load_chart
from agents.fake import FakeBackend


def test_the_model_chooses_among_the_labels_after_one_example_per_category() -> None:
    def score(context: str, option: str) -> float:
        return -1.0 if "Hotel Adler" in context and option == " Reisekosten\n" else -12.0

    chart = load_chart("skr03")
    backend = FakeBackend(score)
    account, probability = AccountModel(backend).choose("Hotel Adler", "Übernachtung", chart.model_choices)
    assert (account.category, account.number) == ("travel", "4660")
    assert probability > 0.9
    ((prompt, options),) = backend.calls
    assert "untrusted" in prompt
    assert "Invoice line: Hotelzimmer, 2 Nächte\nExpense account: Reisekosten\n" in prompt
    assert prompt.endswith("Supplier: Hotel Adler\nInvoice line: Übernachtung\nExpense account:")
    assert len(options) == len(chart.model_choices) < len(chart.bookable)


def test_an_indifferent_model_is_unsure() -> None:
    chart = load_chart("skr03")
    _account, probability = AccountModel(FakeBackend()).choose("x", "y", chart.bookable)
    assert probability < 0.5


def test_one_candidate_needs_no_model() -> None:
    backend = FakeBackend()
    chart = load_chart("skr03")
    account, probability = AccountModel(backend).choose("x", "y", chart.bookable[:1])
    assert (account, probability, backend.calls) == (chart.bookable[0], 1.0, [])
