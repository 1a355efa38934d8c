from agents.extraction.header import currency
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
