"""Only visible text is read: hidden words leave `words` and `text` and are listed in `Page.hidden`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agents.fake import FakeBackend
from agents.reading.pdf import read_pdf
from agents.reading.visibility import hidden_text_finding
from agents.validation import ValidationAgent
from agents.validation.settings import ValidationSettings
from app.models import Status, StepResult
from app.pipeline.orchestrator import Pipeline
from app.pipeline.state import PipelineState, Step
from app.pipeline.steps.extract import ExtractStep
from app.pipeline.steps.read import ReadStep
from app.pipeline.steps.validate import ValidateStep
from tests.factories import create_document
from tests.pdf_builder import A4, BLACK, WHITE, PageSpec, build_pdf

NAVY = (0.1, 0.2, 0.5)
LIGHT_GREY = (0.9, 0.9, 0.9)


def _page(extra: PageSpec | None = None) -> PageSpec:
    page = extra or PageSpec()
    return page.text(60, 760, "Rechnung RE-2024-0042")


def _read_one(page: PageSpec) -> tuple[str, list[str], list[tuple[str, str]]]:
    result = read_pdf(build_pdf([page]))
    only = result.pages[0]
    return only.text, [w.text for w in only.words], [(h.text, h.reason) for h in only.hidden]


Draw = Callable[[PageSpec], PageSpec]

HIDDEN_CASES: dict[str, tuple[Draw, str]] = {
    "white on white paper": (
        lambda p: p.text(60, 700, "IBAN DE75512108001245126199", colour=WHITE),
        "background_colour",
    ),
    "near white": (lambda p: p.text(60, 700, "Betrag 1,00", colour=(0.97, 0.97, 0.97)), "background_colour"),
    "navy on navy box": (
        lambda p: p.rect(50, 690, 300, 20, colour=NAVY).text(60, 695, "Betrag 1,00", colour=NAVY),
        "background_colour",
    ),
    "one point": (lambda p: p.text(60, 700, "IBAN DE75512108001245126199", size=1), "tiny"),
    "two points": (lambda p: p.text(60, 700, "Betrag 1,00", size=2), "tiny"),
    "render mode 3": (lambda p: p.text(60, 700, "IBAN DE75512108001245126199", mode=3), "invisible"),
    "render mode 7": (lambda p: p.text(60, 700, "Betrag 1,00", mode=7), "invisible"),
    "left of the page": (lambda p: p.text(-400, 700, "Betrag 1,00"), "off_page"),
    "above the page": (lambda p: p.text(60, A4[1] + 50, "Betrag 1,00"), "off_page"),
    "covered by a white box": (
        lambda p: p.text(60, 700, "Betrag 1,00").rect(55, 695, 200, 20, colour=WHITE),
        "covered",
    ),
    "covered by a picture": (lambda p: p.text(60, 700, "Betrag 1,00").image(55, 695, 200, 20), "covered"),
    "covered by a black box": (
        lambda p: p.text(60, 700, "Betrag 1,00").rect(55, 695, 200, 20, colour=BLACK),
        "covered",
    ),
}


@pytest.mark.parametrize("case", HIDDEN_CASES)
def test_hidden_words_are_not_read(case: str) -> None:
    draw, reason = HIDDEN_CASES[case]
    text, words, hidden = _read_one(_page(draw(PageSpec())))
    assert words[:2] == ["Rechnung", "RE-2024-0042"]
    assert len(words) == 2, words
    assert "1,00" not in text
    assert "DE7551" not in text
    assert hidden
    assert {r for _, r in hidden} == {reason}


def test_text_outside_the_crop_box_is_not_read() -> None:
    page = _page(PageSpec(crop=(0, 400, 595, 842))).text(60, 200, "Betrag 1,00")
    _, words, hidden = _read_one(page)
    assert "1,00" not in words
    assert ("1,00", "off_page") in hidden


def test_invisible_text_on_a_cropped_page_is_found() -> None:
    page = _page(PageSpec(crop=(20, 300, 595, 842))).text(60, 700, "Betrag 1,00", mode=3)
    _, words, hidden = _read_one(page)
    assert words == ["Rechnung", "RE-2024-0042"]
    assert ("1,00", "invisible") in hidden


def test_invisible_text_over_an_image_is_an_ocr_layer_and_read() -> None:
    data = build_pdf([PageSpec().image(40, 650, 300, 100).text(60, 700, "Betrag 1,00", mode=3)])
    only = read_pdf(data).pages[0]
    assert [w.text for w in only.words] == ["Betrag", "1,00"]
    assert only.hidden == []


VISIBLE_CASES: dict[str, Draw] = {
    "white on a coloured table header": lambda p: p.rect(50, 690, 400, 20, colour=NAVY).text(
        60, 695, "Betrag 1,00", colour=WHITE
    ),
    "black over a shaded cell": lambda p: p.rect(50, 690, 400, 20, colour=LIGHT_GREY).text(
        60, 695, "Betrag 1,00"
    ),
    "box drawn before the text": lambda p: p.rect(55, 695, 200, 20, colour=WHITE).text(
        60, 700, "Betrag 1,00"
    ),
    "box beside the text": lambda p: p.text(60, 700, "Betrag 1,00").rect(300, 695, 200, 20, colour=BLACK),
    "five point footnote": lambda p: p.text(60, 700, "Betrag 1,00", size=5),
    "grey text": lambda p: p.text(60, 700, "Betrag 1,00", colour=(0.6, 0.6, 0.6)),
}


@pytest.mark.parametrize("case", VISIBLE_CASES)
def test_visible_words_are_read(case: str) -> None:
    _, words, hidden = _read_one(_page(VISIBLE_CASES[case](PageSpec())))
    assert words[-2:] == ["Betrag", "1,00"]
    assert hidden == []


def test_fake_bold_reads_once_and_double_letters_stay() -> None:
    page = PageSpec()
    for offset in (0.0, 0.3, 0.6):
        page.text(60 + offset, 700, "Tennis Kaffee")
    _, words, hidden = _read_one(page)
    assert words == ["Tennis", "Kaffee"]
    assert hidden == []


def test_a_white_shadow_under_a_black_word_keeps_the_word() -> None:
    page = PageSpec().text(60, 700, "Gesamtbetrag", colour=WHITE).text(60.4, 700, "Gesamtbetrag")
    _, words, hidden = _read_one(page)
    assert words == ["Gesamtbetrag"]
    assert [text for text, _ in hidden] == ["Gesamtbetrag"]


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u00ad"])
def test_format_characters_are_removed(mark: str) -> None:
    _, words, _ = _read_one(PageSpec().text(60, 700, f"RE-2024{mark}-0042 DE89{mark}3704"))
    assert words == ["RE-2024-0042", "DE893704"]


def test_hidden_payment_data_gives_a_warning_with_what_and_where() -> None:
    result = read_pdf(build_pdf([_page(PageSpec().text(-400, 700, "IBAN DE75512108001245126199"))]))
    finding = hidden_text_finding(result.pages)
    assert finding is not None
    assert finding.code == "text.hidden"
    assert finding.severity == "warning"
    assert "DE75512108001245126199" in finding.message
    assert "page 1" in finding.message


def test_hidden_words_without_figures_give_no_finding() -> None:
    # A generator's invisible "Powered by" tag, a page number under a banner: dropped, no reason to look.
    page = _page(
        PageSpec().text(3, 3, "Powered by Example PDF", mode=3).text(60, 30, "1").rect(50, 25, 50, 20)
    )
    result = read_pdf(build_pdf([page]))
    assert {h.text for h in result.pages[0].hidden} == {"Powered", "by", "Example", "PDF", "1"}
    assert hidden_text_finding(result.pages) is None


def test_read_step_reports_hidden_text() -> None:
    data = build_pdf([_page(PageSpec().text(60, 700, "Zu zahlender Betrag 1,00 EUR", colour=WHITE))])
    state = PipelineState(document_id=1, filename="x.pdf", media_type="application/pdf", content=data)
    output = ReadStep().run(state)
    assert [f.code for f in output.findings] == ["text.hidden"]
    assert "1,00" not in output.stored()["pages"][0]["text"]


def test_hidden_payment_text_sends_the_document_to_review(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    page = PageSpec().lines(60, 760, ["Rechnung RE-2024-0042", "Gesamtbetrag 119,00 EUR"])
    page.text(60, 700, "IBAN DE75 5121 0800 1245 1261 99", colour=WHITE)
    document = create_document(session, data=build_pdf([page]))
    validation = ValidationAgent(None, ValidationSettings(), None, None)
    steps: list[Step] = [ReadStep(), ExtractStep(FakeBackend()), ValidateStep(validation)]
    assert Pipeline(session_factory, steps).process(document.id) == Status.NEEDS_REVIEW
    rows = {
        r.step: r for r in session.scalars(select(StepResult).where(StepResult.document_id == document.id))
    }
    assert [f["code"] for f in rows["read"].findings] == ["text.hidden"]
    assert "text.hidden" in rows["validate"].data["decision"]["reasons"]
    assert rows["extract"].data["invoice"]["iban"] is None
