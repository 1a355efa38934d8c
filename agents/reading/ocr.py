"""Tesseract OCR of one page image: orientation, deskew, words with boxes and confidences.

`read_image(image, engine)` turns the page upright (Tesseract's orientation detection, 90/180/270
when it is confident), straightens it by its skew angle (`agents.reading.skew`), and reads its words.
Boxes come back in pixels of the straightened image (`OcrPage.rotation`/`skew` say how it was made
from the input). Each word gets the vertical extent of its text line, so boxes span the line height
like a text layer's font boxes do, and rules read as `|`, `_` (or `!` beside a number) are dropped.

`tesserocr` is imported lazily: without it (or without models) `engine_problem` says how to enable OCR.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from agents.reading.decimals import restore_decimals
from agents.reading.ocr_language import guess_language
from agents.reading.ocr_words import OcrWord, line_extents, words_of
from agents.reading.skew import skew_degrees

#: Where Debian/Ubuntu packages put the models (tesseract 5 first), tried when no folder is configured.
DEFAULT_TESSDATA = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),
)
#: The Debian packages that hold the models we read with, for the message when they are missing.
MODEL_PACKAGES = "tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-eng tesseract-ocr-fra"
#: Orientation detection below this confidence leaves the page as it is (a wrong turn costs everything).
MIN_ORIENTATION_CONFIDENCE = 2.0
#: A page that reads well is still asked whether it stands on its head (Tesseract reads an upside-down
#: page as confident nonsense); a weaker "180" suffices there, since the turned reading must also be
#: the more confident one to be kept.
UPSIDE_DOWN_CONFIDENCE = 1.0
#: Skews below this many degrees are not worth resampling the image for.
MIN_SKEW_DEGREES = 0.1

#: Tesseract's binarisation for the page's layout (`thresholding_method`): Otsu's global threshold
#: first; on a scanned page with little ink it falls into the paper's noise and the page reads as
#: speckles, so a page that reads poorly is read again with Sauvola's local threshold.
GLOBAL_THRESHOLD = "0"
LOCAL_THRESHOLD = "2"
#: Share of a page that the global threshold may make ink. Text covers a few percent of a page; far
#: more means it took shaded cells and boxes for ink and their text was lost in them, so the page is
#: read again with the local threshold, which leaves shading as ground.
MAX_INK_SHARE = 0.12

#: The model a bare-digit number is read again with (`agents.reading.decimals`): English keeps
#: the decimal points of small print that the German model drops.
NUMBER_MODEL = "eng"

#: Readings in a language guessed from the page: the first guess, made from words read with models
#: that lack its letters, can fall on a neighbour (Czech taken for Polish); the reading in that
#: language tells the language again, and a different answer is read once more.
LANGUAGE_READINGS = 2

#: Words of at least this many characters tell which way a page's lines run.
MIN_CHARS_DIRECTION = 4

#: A first reading with at least this many words at this mean confidence (0-100) counts as upright.
MIN_WORDS_UPRIGHT = 10
UPRIGHT_CONFIDENCE = 70.0

#: Warm Tesseract instances of this process (one per models and mode), used under `_API_LOCK`; the
#: least recently used is ended beyond `MAX_WARM_APIS` (each holds its models, ~100 MB, and the reader
#: runs under the sandbox's memory limit: a page in every language must not add them all up).
_APIS: OrderedDict[tuple[str, str, int], Any] = OrderedDict()
MAX_WARM_APIS = 4
_API_LOCK = threading.Lock()


@dataclass(frozen=True)
class OcrEngine:
    """Which models to read with: the tessdata folder and Tesseract's language string (`deu+eng`)."""

    tessdata: Path
    languages: str


@dataclass
class OcrPage:
    """Words of the straightened image, which is the input turned by `rotation` then `skew`."""

    width: int
    height: int
    #: Degrees the input was turned counter-clockwise to stand upright: 0, 90, 180 or 270.
    rotation: int = 0
    #: Degrees the upright image was then turned counter-clockwise to level its lines.
    skew: float = 0.0
    words: list[OcrWord] = field(default_factory=list)
    #: The models it was read with (Tesseract's language string).
    languages: str = ""
    #: Its lines were read as vertical text (most words taller than wide): it lies sideways.
    runs_down: bool = False


#: A page read, and the levelled image its word boxes refer to.
Reading = tuple[OcrPage, Image.Image]


def find_tessdata(configured: Path | None) -> Path | None:
    """The configured folder, or the first standard one that holds models."""
    candidates = (configured,) if configured is not None else DEFAULT_TESSDATA
    for folder in candidates:
        if folder is not None and folder.is_dir() and any(folder.glob("*.traineddata")):
            return folder
    return None


def installed_languages(tessdata: Path) -> set[str]:
    return {p.stem for p in tessdata.glob("*.traineddata")}


def engine_problem(tessdata: Path | None, languages: str) -> str | None:
    """Why OCR cannot run with these settings, phrased as what to do; None when it can."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "OCR is not installed: the Python package `tesserocr` is missing (run `make install`)."
    if tessdata is None:
        return (
            "OCR models are missing: install them with `apt-get install " + MODEL_PACKAGES + "` "
            "or set KONTOR_OCR__TESSDATA to a folder with Tesseract's *.traineddata files."
        )
    missing = [lang for lang in ("osd", *languages.split("+")) if lang not in installed_languages(tessdata)]
    if missing:
        names = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        return f"OCR models missing in {tessdata}: {', '.join(missing)} (`apt-get install {names}`)."
    return None


def read_image(image: Image.Image, engine: OcrEngine) -> OcrPage:
    """Turn, straighten and read one page image (any mode; read as 8-bit grey).

    A page whose lines run across is levelled and read as it comes; when it lies sideways or reads
    poorly its orientation is detected (that costs a third of a reading) and the turned page kept if
    it reads better (a poor reading the detection is unsure of is tried on its head too). A page that
    reads well is still asked whether it stands on its head, and read turned when the detection says
    so; the more confident reading is kept. A page in a language whose model is installed but not
    among the engine's is read again with that model alone (`agents.reading.ocr_language`), and
    once more where that reading tells yet another language.
    """
    from tesserocr import OEM, PSM

    grey = image.convert("L")
    dpi = _dpi(image)
    with _API_LOCK:
        (page, levelled), upright = _read_upright(grey, engine, dpi)
        read_with = engine.languages.split("+")
        for _ in range(LANGUAGE_READINGS):
            language = _other_language(page, engine.tessdata, read_with)
            if language is None:
                break
            # That model alone: beside the configured ones, their letters win over its own (a French
            # `à` read as the German `ä`, a Spanish `í` as the English `i`).
            read_with = [language, *read_with]
            again = OcrEngine(engine.tessdata, language)
            page, levelled = _level_and_read(upright, page.rotation, page.skew, again, dpi)
        numbers = NUMBER_MODEL if NUMBER_MODEL in installed_languages(engine.tessdata) else engine.languages
        line_api = _api(engine.tessdata, numbers, PSM.SINGLE_LINE, OEM.LSTM_ONLY)
        page.words = restore_decimals(page.words, levelled, line_api)
    return page


def _other_language(page: OcrPage, tessdata: Path, read_with: list[str]) -> str | None:
    """The page's language when its model is installed and the page was not read with it."""
    language = guess_language((w.text for w in page.words), read_with)
    if language is None or language in read_with or language not in installed_languages(tessdata):
        return None
    return language


def _read_upright(grey: Image.Image, engine: OcrEngine, dpi: int) -> tuple[Reading, Image.Image]:
    """The page read upright, and the upright image before levelling (for another reading).

    Where the orientation detection is unsure about a page that lies sideways (Tesseract would read
    its lines as vertical text, boxes that make no rows), both quarter turns are read.
    """
    skew, sideways = skew_degrees(grey)
    first = None if sideways else _level_and_read(grey, 0, skew, engine, dpi)
    if first is not None and _reads_well(first[0]) and not first[0].runs_down:
        if _orientation(grey, engine, UPSIDE_DOWN_CONFIDENCE) != 180:
            return first, grey
        return _more_confident((first, grey), grey, (180,), engine, dpi)
    rotation = _orientation(grey, engine)
    if first is None and not rotation:
        # The ink's profile can take a page of tables for a sideways one: read it as it lies too.
        first = _level_and_read(grey, 0, skew, engine, dpi)
        if _reads_well(first[0]) and not first[0].runs_down:
            return first, grey
    as_it_lies = first is not None and not first[0].runs_down
    turns = _turns(rotation, sideways, as_it_lies, first)
    best = (first, grey) if first is not None and (as_it_lies or not turns) else None
    best = _more_confident(best, grey, turns, engine, dpi)
    if rotation and (not _reads_well(best[0][0]) or best[0][0].runs_down):
        # The detection can be sure and wrong (a sideways page read as vertical text, taken for
        # another script): when its turn reads poorly, the other turns are read too.
        others = tuple(turn for turn in (90, 270, 180) if turn != rotation)
        best = _more_confident(best, grey, others, engine, dpi)
    return best


def _more_confident(
    best: tuple[Reading, Image.Image] | None,
    grey: Image.Image,
    turns: tuple[int, ...],
    engine: OcrEngine,
    dpi: int,
) -> tuple[Reading, Image.Image]:
    """`best`, or the reading of `grey` at one of `turns` that is more confident than it; a reading
    whose lines run down is never upright, so one that runs across beats it however confident."""
    for turn in turns:
        upright = grey.rotate(turn, expand=True, fillcolor=255)
        turned = _level_and_read(upright, turn, skew_degrees(upright)[0], engine, dpi)
        if best is None or _upright_rank(turned[0]) > _upright_rank(best[0][0]):
            best = turned, upright
    assert best is not None  # a turn was read, or the page as it lies
    return best


def _turns(rotation: int, sideways: bool, as_it_lies: bool, first: Reading | None) -> tuple[int, ...]:
    """The turns worth reading: the detected one; else both quarter turns for a page whose lines run
    down; else, for a page that reads poorly as it lies, the half turn (it may stand on its head), and
    the quarter turns as well where the ink's profile took it for sideways (a page of tables upside
    down looks sideways to it, and a quarter turn of it reads as confident vertical text)."""
    if rotation:
        return (rotation,)
    if not as_it_lies:
        return (90, 270)
    if first is None or _reads_well(first[0]):
        return ()
    return (90, 270, 180) if sideways else (180,)


def _level_and_read(grey: Image.Image, rotation: int, skew: float, engine: OcrEngine, dpi: int) -> Reading:
    """The page levelled by `skew` and read, and the levelled image its boxes refer to.

    A page that reads poorly with Tesseract's global threshold, or that it made largely ink (shading
    taken for ink), is read again with the local one; the reading with more confident words is kept,
    with the other's confident words where it has none.
    """
    if abs(skew) >= MIN_SKEW_DEGREES:
        grey = grey.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    else:
        skew = 0.0
    words, ink = _recognise(grey, engine, dpi, GLOBAL_THRESHOLD)
    page = OcrPage(grey.width, grey.height, rotation, skew, words, engine.languages)
    if not _reads_well(page) or ink > MAX_INK_SHARE:
        local, _ = _recognise(grey, engine, dpi, LOCAL_THRESHOLD)
        if _confident_words(local) > _confident_words(words):
            words, local = local, words
        words = _with_words_only_in(words, local)
    # Which way the lines run is told by the words' own boxes, before they get their line's height.
    page.runs_down = _runs_down(words)
    page.words = line_extents(words)
    return page, grey


def _recognise(
    grey: Image.Image, engine: OcrEngine, dpi: int, thresholding: str
) -> tuple[list[OcrWord], float]:
    """The words read with this thresholding method, and the share of the page it made ink."""
    from tesserocr import OEM, PSM

    api = _api(engine.tessdata, engine.languages, PSM.AUTO, OEM.LSTM_ONLY)
    api.SetVariable("user_defined_dpi", str(dpi))
    api.SetVariable("thresholding_method", thresholding)
    api.SetImage(grey)
    # Thresholded before the reading, which goes on with this image (and cuts lines and pictures
    # out of it): black (0) is ink.
    binary = api.GetThresholdedImage()
    ink = 1.0 - float(np.asarray(binary, dtype=bool).mean()) if binary is not None else 0.0
    api.Recognize()
    words = words_of(api, np.asarray(grey))
    api.Clear()
    return words, ink


def _with_words_only_in(kept: list[OcrWord], other: list[OcrWord]) -> list[OcrWord]:
    """`kept`, with the confident words of `other` where `kept` has none, in reading order.

    Each threshold loses text the other keeps: the local one reads ink on shaded cells but turns a
    dark band with white letters into paper; the global one reads the band but blackens the cells.
    """
    extra = [w for w in other if w.confidence >= UPRIGHT_CONFIDENCE and not any(_overlap(w, k) for k in kept)]
    if not extra:
        return kept
    offset = max((w.line for w in kept), default=-1) + 1
    words = kept + [replace(w, line=w.line + offset) for w in extra]
    tops: dict[int, float] = {}
    for w in words:
        tops[w.line] = min(tops.get(w.line, w.top), w.top)
    order = {line: rank for rank, line in enumerate(sorted(tops, key=lambda line: (tops[line], line)))}
    return sorted((replace(w, line=order[w.line]) for w in words), key=lambda w: w.line)


def _overlap(a: OcrWord, b: OcrWord) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def _confident_words(words: list[OcrWord]) -> int:
    return sum(1 for w in words if w.confidence >= UPRIGHT_CONFIDENCE)


def _reads_well(page: OcrPage) -> bool:
    """Enough words read confidently: an upright page (a turned one reads as low-confidence noise)."""
    return len(page.words) >= MIN_WORDS_UPRIGHT and _mean_confidence(page) >= UPRIGHT_CONFIDENCE


def _runs_down(words: list[OcrWord]) -> bool:
    """Most longer words are taller than wide: Tesseract read a sideways page's lines as vertical text,
    and their boxes would not make rows; the page must be turned instead."""
    longer = [w for w in words if len(w.text) >= MIN_CHARS_DIRECTION]
    down = sum(1 for w in longer if w.bottom - w.top > w.x1 - w.x0)
    return bool(longer) and down > len(longer) / 2


def _upright_rank(page: OcrPage) -> tuple[bool, float]:
    return not page.runs_down, _mean_confidence(page)


def _mean_confidence(page: OcrPage) -> float:
    return sum(w.confidence for w in page.words) / len(page.words) if page.words else 0.0


def _api(tessdata: Path, languages: str, psm: int, oem: int | None = None) -> Any:
    """A warm Tesseract instance per models and mode (loading the models costs a fraction of a page)."""
    from tesserocr import OEM, PyTessBaseAPI

    key = (str(tessdata), languages, psm)
    api = _APIS.get(key)
    if api is None:
        while len(_APIS) >= MAX_WARM_APIS:
            _APIS.popitem(last=False)[1].End()
        path = str(tessdata).rstrip("/") + "/"
        api = _APIS[key] = PyTessBaseAPI(
            path=path, lang=languages, psm=psm, oem=OEM.DEFAULT if oem is None else oem
        )
    _APIS.move_to_end(key)
    return api


def _dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi", (300, 300))
    return round(float(dpi[0])) or 300


def _orientation(grey: Image.Image, engine: OcrEngine, floor: float = MIN_ORIENTATION_CONFIDENCE) -> int:
    """Degrees to turn the image counter-clockwise so its text stands upright (0 when unsure).

    Where the page at full size gives no answer (too few blobs it trusts), half its size is asked.
    """
    found = _detect_orientation(grey, engine)
    if found is None:
        found = _detect_orientation(grey.reduce(2), engine)
    if not found or float(found.get("orient_conf", 0.0)) < floor:
        return 0
    # orient_deg is how far the text is turned clockwise; turning it back is counter-clockwise.
    return int(found["orient_deg"]) % 360


def _detect_orientation(grey: Image.Image, engine: OcrEngine) -> dict[str, Any] | None:
    from tesserocr import PSM

    api = _api(engine.tessdata, "osd", PSM.OSD_ONLY)
    api.SetImage(grey)
    try:
        found: dict[str, Any] | None = api.DetectOrientationScript()
    except RuntimeError:
        found = None  # too little text to tell: an upright page is the likely case
    api.Clear()
    return found
