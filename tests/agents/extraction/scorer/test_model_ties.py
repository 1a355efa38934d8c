"""Which of the scorer's near ties the embedded model is asked to break (`record.MODEL_TIE_FIELDS`)."""

from __future__ import annotations

from collections.abc import Sequence

from agents.extraction.agent import ExtractionAgent
from agents.extraction.record import MODEL_TIE_FIELDS
from agents.extraction.scorer.features import Option, Page
from agents.extraction.scorer.ranking import Ranking
from agents.fake import FakeBackend
from tests.agents.extraction.factories import make_read


class _Tied:
    """A ranker that finds every field's options equally likely (the nearest tie there is)."""

    def __init__(self) -> None:
        self.fields: list[str] = []

    def rank(self, field: str, page: Page, options: Sequence[Option]) -> Ranking | None:
        self.fields.append(field)
        return Ranking(0, 0.5, [0.5] * len(options))


PAGE = """
Alpha Werkzeuge GmbH | Verkäufer: Beta Handel GmbH
Rechnung Nr. 4711 | Rechnungsnummer: 4712
Rechnungsdatum: 02.05.2024 | Datum: 03.05.2024
Kunde: Gamma Bau AG | Rechnungsempfänger: Delta Bau AG
"""


def test_the_model_breaks_ties_only_for_the_fields_where_it_was_measured_to_help() -> None:
    backend, ranker = FakeBackend(), _Tied()
    ExtractionAgent(backend, scorer=ranker, max_questions=10).extract(make_read(PAGE))
    assert {"invoice_number", "issue_date", "seller_name", "buyer_name"} <= set(ranker.fields)  # all tied
    assert len(backend.calls) == len(MODEL_TIE_FIELDS) == 1
    assert "Invoice date" in backend.calls[0][0]
