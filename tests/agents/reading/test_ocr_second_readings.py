"""Second readings on scans: a page in a language the configured models lack, and dropped decimal points."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from agents.extraction.evaluate import strip_embedded_xml
from agents.reading import read_pdf
from agents.reading.decimals import restore_decimals
from agents.reading.ocr import NUMBER_MODEL, OcrEngine, _api, find_tessdata, read_image
from agents.reading.ocr_language import guess_language
from agents.reading.ocr_words import OcrWord
from agents.reading.scan_eval import ScanReader
from agents.reading.scanned import OcrConfig, render_page
from tests.corpus import corpus_dir

CONFIG = OcrConfig(tessdata=None, languages="deu+eng")
#: ISO 639-1 (the corpus manifest) → Tesseract model name.
MODELS = {
    "de": "deu",
    "en": "eng",
    "fr": "fra",
    "nl": "nld",
    "it": "ita",
    "es": "spa",
    "pl": "pol",
    "cs": "ces",
}
POLISH_LETTERS = set("ąćęłńśźżĄĆĘŁŃŚŹŻ")
CZECH_LETTERS = set("čďěňřšťůžČĎĚŇŘŠŤŮŽ")
FRENCH_LETTERS = set("àâçéèêëîïôùûÀÂÇÉÈÊ")
GERMAN_LETTERS = set("äöüßÄÖÜ")


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    tessdata = find_tessdata(None)
    assert tessdata is not None
    return OcrEngine(tessdata, CONFIG.languages)


def test_the_language_of_real_pages_is_guessed_right_or_not_at_all() -> None:
    folder = corpus_dir() / "real"
    with (folder / "MANIFEST.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["pages"] == "1"]
    guesses = [(MODELS[r["language"]], _guess(folder / f"{r['id']}.pdf")) for r in rows]
    assert all(guess in (None, truth) for truth, guess in guesses)  # never a wrong language
    assert sum(guess == truth for truth, guess in guesses) / len(guesses) >= 0.85
    assert {guess for _, guess in guesses} >= {"deu", "eng", "pol", "nld", "ces"}


def _guess(path: Path) -> str | None:
    return guess_language(read_pdf(path.read_bytes()).pages[0].text.split())


def test_a_polish_scan_is_read_again_with_the_polish_model(engine: OcrEngine) -> None:
    data = strip_embedded_xml((corpus_dir() / "real/D044_herbalstore_pl.pdf").read_bytes())
    page = read_image(render_page(ScanReader(CONFIG).scan(data, "pl"), 0, 300), engine)
    assert page.languages.split("+")[0] == "pol"
    assert POLISH_LETTERS & set("".join(w.text for w in page.words))


def test_a_page_in_two_languages_is_guessed_as_the_one_not_read_with() -> None:
    czech = [
        "faktura",
        "datum",
        "dodavatel",
        "odberatel",
        "celkem",
        "cena",
        "castka",
        "dph",
        "splatnosti",
        "vystaveni",
    ]
    english = ["invoice", "date", "due", "total", "amount", "the", "and", "of"]
    assert guess_language(czech + english) is None  # neither is clearly ahead of the other
    assert guess_language(czech + english, read_with=("deu", "eng")) == "ces"
    # The leader must still lead: more English than Czech is no Czech page.
    assert guess_language(czech[:6] + english, read_with=("deu", "eng")) != "ces"


def test_a_scan_in_czech_and_english_is_read_again_with_the_czech_model(engine: OcrEngine) -> None:
    data = strip_embedded_xml((corpus_dir() / "real/D029_invoiceprinter_intl.pdf").read_bytes())
    page = read_image(render_page(ScanReader(CONFIG).scan(data, "cs"), 0, 300), engine)
    assert page.languages.split("+")[0] == "ces"
    assert CZECH_LETTERS & set("".join(w.text for w in page.words))


def test_a_french_scan_is_read_with_the_french_model_alone_and_keeps_its_accents(engine: OcrEngine) -> None:
    # Beside the German model, a blurred `à` or `é` comes out as `ä` or `ö`; a French page has none.
    data = strip_embedded_xml((corpus_dir() / "real/D021_finkeswiss_ch.pdf").read_bytes())
    page = read_image(render_page(ScanReader(CONFIG).scan(data, "D021_finkeswiss_ch.pdf"), 0, 300), engine)
    text = set("".join(w.text for w in page.words))
    assert page.languages == "fra"
    assert FRENCH_LETTERS & text
    assert not GERMAN_LETTERS & text


def test_a_czech_scan_first_taken_for_polish_is_read_again_in_czech(engine: OcrEngine) -> None:
    # Read with German and English, its small print shows more of the words Czech shares with Polish;
    # read in Polish, its own words come through and tell Czech.
    data = strip_embedded_xml((corpus_dir() / "real/D030_abra_demoverze_cz.pdf").read_bytes())
    page = read_image(
        render_page(ScanReader(CONFIG).scan(data, "D030_abra_demoverze_cz.pdf"), 0, 300), engine
    )
    assert page.languages.split("+")[0] == "ces"
    assert CZECH_LETTERS & set("".join(w.text for w in page.words))


def _printed(text: str) -> Image.Image:
    image = Image.new("L", (360, 60), 255)
    ImageDraw.Draw(image).text((10, 8), text, fill=0, font=ImageFont.load_default(size=36))
    return image


def _word(text: str, image: Image.Image) -> OcrWord:
    return OcrWord(text, 6.0, 4.0, image.width - 6.0, image.height - 4.0, confidence=96.0, line=0)


def test_a_dropped_decimal_point_is_restored_from_a_second_reading(engine: OcrEngine) -> None:
    from tesserocr import OEM, PSM

    image = _printed("1234.56")
    api = _api(engine.tessdata, NUMBER_MODEL, PSM.SINGLE_LINE, OEM.LSTM_ONLY)
    restored = restore_decimals([_word("123456", image), _word("-123456", image)], image, api)
    assert [w.text for w in restored] == ["1234.56", "-1234.56"]


def test_a_second_reading_with_other_digits_changes_nothing(engine: OcrEngine) -> None:
    from tesserocr import OEM, PSM

    image = _printed("1234.56")
    api = _api(engine.tessdata, NUMBER_MODEL, PSM.SINGLE_LINE, OEM.LSTM_ONLY)
    words = [_word("123457", image), _word("12", image), _word("INV123456", image)]
    assert restore_decimals(words, image, api) == words


@pytest.mark.parametrize("rotate", [90, 270])
def test_a_sideways_page_the_orientation_detection_is_unsure_of_is_turned_all_the_same(
    engine: OcrEngine, rotate: int
) -> None:
    # A short receipt: too little text for Tesseract's orientation detection to be sure, and read as
    # it lies, its lines come back as vertical text (boxes taller than wide) with high confidence.
    data = strip_embedded_xml((corpus_dir() / "real/D034_receipts_gem.pdf").read_bytes())
    page = read_image(render_page(ScanReader(CONFIG, rotate=rotate).scan(data, "D034"), 0, 300), engine)
    assert page.rotation == rotate
    assert page.height > page.width
    longer = [w for w in page.words if len(w.text) >= 4]
    assert sum(w.x1 - w.x0 > w.bottom - w.top for w in longer) > 0.9 * len(longer)


def test_a_reader_that_meets_every_language_keeps_only_a_few_models_warm(engine: OcrEngine) -> None:
    # Each warm instance holds its models; the sandbox's memory limit must not meet one per language.
    from tesserocr import PSM

    from agents.reading import ocr

    with ocr._API_LOCK:
        first = _api(engine.tessdata, "deu+eng", PSM.AUTO)
        for model in MODELS.values():
            _api(engine.tessdata, f"{model}+eng", PSM.AUTO)
            assert len(ocr._APIS) <= ocr.MAX_WARM_APIS
        assert _api(engine.tessdata, "deu+eng", PSM.AUTO) is not first
        assert _api(engine.tessdata, "deu+eng", PSM.AUTO) is _api(engine.tessdata, "deu+eng", PSM.AUTO)


@pytest.mark.parametrize("name", ["D039_minimal_testfirma", "D041_uhrenwelt_at"])
def test_an_upside_down_page_that_reads_confidently_as_it_lies_is_turned(
    engine: OcrEngine, name: str
) -> None:
    # Read on its head, these pages give enough confident nonsense to pass for upright ones.
    data = strip_embedded_xml((corpus_dir() / f"real/{name}.pdf").read_bytes())
    page = read_image(render_page(ScanReader(CONFIG, rotate=180).scan(data, name), 0, 300), engine)
    assert page.rotation == 180
    printed = {w.text for w in read_pdf(data).pages[0].words if len(w.text) >= 4 and w.text.isalpha()}
    read = {w.text for w in page.words}
    assert len(printed & read) >= 0.6 * len(printed), sorted(printed - read)
