from agents.extraction.layout import build_layout
from agents.extraction.scorer.examples import decisions, examples_from_document
from agents.extraction.scorer.features import FEATURES, FIELDS, LABEL_DIRECTIONS, Option, Page, featurize
from tests.agents.extraction.factories import make_read
from tests.agents.extraction.scorer.docs import document


def test_every_option_gets_one_row_in_feature_order() -> None:
    read, _truth = document(1)
    for field, page, options in decisions(read):
        rows = featurize(page, field, options)
        assert len(rows) == len(options)
        assert all(len(row) == len(FEATURES) for row in rows)
        assert all(row[FEATURES.index("field")] == FIELDS.index(field) for row in rows)


def _direction(text: str, label: str, value: str) -> str:
    layout = build_layout(make_read(text))
    segment = next(s for s in layout.segments() if value in s.text)
    at = segment.text.index(value)
    option = Option(
        text=value,
        value=value,
        page=1,
        bbox=segment.span_bbox(at, at + len(value)),
        source=f"label:{label}",
        strength=0.9,
        line=segment.line,
    )
    row = featurize(Page(layout), "invoice_number", [option])[0]
    return LABEL_DIRECTIONS[int(row[FEATURES.index("label_dir")])]


def test_the_label_is_found_beside_above_or_in_the_values_segment() -> None:
    assert _direction("Invoice No: A-17", "Invoice No", "A-17") == "same segment"
    assert _direction("Invoice No | A-17", "Invoice No", "A-17") == "left of value"
    assert _direction("Invoice No\nA-17", "Invoice No", "A-17") == "above value"
    assert _direction("A-17", "Invoice No", "A-17") == "none"


def test_examples_mark_the_option_that_matches_the_truth() -> None:
    read, truth = document(3)
    examples = {e.field: e for e in examples_from_document(read, truth, "doc-3")}
    number = examples["invoice_number"]
    assert sum(number.labels) == 1
    assert number.texts[number.labels.index(True)] == truth["invoice_number"]
    issue = examples["issue_date"]
    assert sum(issue.labels) == 1
    # A ranker sees the unlabelled dates too: more options than the one label names.
    assert len(issue.labels) > 1


def test_uncertain_truth_fields_teach_nothing() -> None:
    read, truth = document(3)
    examples = examples_from_document(read, {**truth, "uncertain": ["invoice_number"]}, "doc-3")
    assert "invoice_number" not in {e.field for e in examples}
