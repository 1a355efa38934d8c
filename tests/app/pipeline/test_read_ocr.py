"""The read step on scans: OCR'd pages with their transform, and `text.missing` when models are missing."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from agents.extraction.evaluate import strip_embedded_xml
from agents.reading import read_pdf
from agents.reading.degrade import ScanPage, images_to_pdf
from agents.reading.scan_eval import ScanReader
from agents.reading.scanned import OcrConfig, needs_ocr, straightened_image
from app.config import LimitsSettings
from app.pipeline.sandbox import SandboxLimits
from app.pipeline.state import PipelineState
from app.pipeline.steps.read import ReadStep, text_caps
from schemas.document import ReadResult
from tests.corpus import corpus_dir

CONFIG = OcrConfig(tessdata=None, languages="deu+eng")
SANDBOX = SandboxLimits(memory_mb=1536, timeout_seconds=120)


def _scan(rotate: int = 0) -> bytes:
    data = strip_embedded_xml((corpus_dir() / "real/D003_muster_gmbh_vorlage.pdf").read_bytes())
    return ScanReader(CONFIG, rotate=rotate).scan(data, "D003")


def _ctx(data: bytes) -> PipelineState:
    return PipelineState(document_id=1, filename="scan.pdf", media_type="application/pdf", content=data)


def test_a_scanned_page_is_read_by_ocr_in_the_sandbox() -> None:
    step = ReadStep(
        SandboxLimits(memory_mb=1536, timeout_seconds=120), text_caps(LimitsSettings()), ocr=CONFIG
    )
    output = step.run(_ctx(_scan()))
    assert isinstance(output.data, ReadResult)
    page = output.data.pages[0]
    assert output.stop_with is None
    assert not output.findings
    assert page.ocr is not None
    assert page.ocr.dpi == 300
    assert (page.ocr.confidence or 0) > 70
    assert len(page.words) > 100
    assert all(w.confidence is not None for w in page.words)


def test_text_layer_words_have_no_confidence_and_pages_no_ocr() -> None:
    data = (corpus_dir() / "real/D003_muster_gmbh_vorlage.pdf").read_bytes()
    result = read_pdf(data, None, CONFIG)
    assert result.pages[0].ocr is None
    assert not needs_ocr(result.pages[0], CONFIG.min_chars)
    assert all(w.confidence is None for w in result.pages[0].words)


def test_words_fall_on_the_straightened_image_of_a_sideways_scan() -> None:
    scan = _scan(rotate=90)
    page = read_pdf(scan, None, CONFIG).pages[0]
    assert page.ocr is not None
    assert page.ocr.rotation == 90
    image = straightened_image(scan, page)
    scale = page.ocr.dpi / 72
    assert abs(image.width - page.width * scale) <= 1
    assert abs(image.height - page.height * scale) <= 1
    # The ink of each confident word lies inside its box on that image (words of letters or digits: the
    # `|` between the sender's address parts is kept as printed, and it is printed grey).
    for word in [w for w in page.words if (w.confidence or 0) > 90 and any(c.isalnum() for c in w.text)][:20]:
        box = (
            round(word.x0 * scale),
            round(word.top * scale),
            round(word.x1 * scale),
            round(word.bottom * scale),
        )
        darkest, _lightest = image.crop(box).getextrema()
        assert isinstance(darkest, int)
        assert darkest < 128


def test_without_models_a_scan_ends_as_text_missing_saying_how_to_enable_ocr(tmp_path: Path) -> None:
    config = OcrConfig(tessdata=tmp_path, languages="deu+eng")
    step = ReadStep(
        SandboxLimits(memory_mb=1536, timeout_seconds=120), text_caps(LimitsSettings()), ocr=config
    )
    output = step.run(_ctx(_scan()))
    assert output.stop_reason == "text.missing"
    assert "apt-get install" in output.findings[0].message


def test_a_scan_longer_than_the_ocr_page_limit_has_its_last_pages_read() -> None:
    # The totals of a long invoice are on its last page: the pages over the limit are cut from the middle.
    pages = []
    for number in range(1, 8):
        image = Image.new("L", (900, 300), 255)
        ImageDraw.Draw(image).text((40, 100), f"Seite {number}", fill=0, font=ImageFont.load_default(size=64))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=90)
        pages.append(ScanPage(out.getvalue(), image.width, image.height, angle=0.0))
    result = read_pdf(images_to_pdf(pages), None, replace(CONFIG, max_pages=4))
    assert [p.number for p in result.pages if p.ocr is not None] == [1, 2, 6, 7]
    assert "7" in result.pages[6].text
