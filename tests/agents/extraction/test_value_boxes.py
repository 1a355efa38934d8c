"""A labelled value is boxed where the value is printed, never on its label."""

from agents.extraction.header import currency, seller_tax_number
from agents.extraction.layout import build_layout
from tests.agents.extraction.factories import make_read


def _words_in(layout_text: str, box: tuple[float, float, float, float]) -> str:
    layout = build_layout(make_read(layout_text))
    inside = [
        w.text
        for s in layout.segments()
        for w in s.words
        if w.x0 >= box[0] - 0.01
        and w.x1 <= box[2] + 0.01
        and w.top >= box[1] - 0.01
        and w.bottom <= box[3] + 0.01
    ]
    return " ".join(inside)


def test_a_labelled_currency_is_boxed_on_the_code_not_on_its_label() -> None:
    text = "Rechnung 17\nWährung: EUR\nGesamt 10,00\n"
    found = currency(build_layout(make_read(text)))
    assert found is not None
    assert found.bbox is not None
    assert found.value == "EUR"
    assert _words_in(text, found.bbox) == "EUR"


def test_a_code_in_the_next_column_is_boxed_there() -> None:
    text = "Rechnung 17\nWährung | USD\nGesamt 10,00\n"
    found = currency(build_layout(make_read(text)))
    assert found is not None
    assert found.bbox is not None
    assert found.value == "USD"
    assert _words_in(text, found.bbox) == "USD"


def test_a_labelled_tax_number_is_boxed_on_the_number() -> None:
    text = "Lieferant GmbH\nSteuernummer: 201/113/40209\nRechnung 17\n"
    found = seller_tax_number(build_layout(make_read(text)))
    assert found is not None
    assert found.bbox is not None
    assert found.value == "201/113/40209"
    assert _words_in(text, found.bbox) == "201/113/40209"


def test_a_currency_symbol_after_its_label_is_boxed() -> None:
    text = "Rechnung 17\nWährung: €\nGesamt 10,00\n"
    found = currency(build_layout(make_read(text)))
    assert found is not None
    assert found.bbox is not None
    assert found.value == "EUR"
    assert _words_in(text, found.bbox) == "€"
