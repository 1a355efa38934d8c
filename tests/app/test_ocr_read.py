"""The read step on scans: OCR'd pages with their transform, and `text.missing` when models are missing."""

from __future__ import annotations

from pathlib import Path

from agents.extraction.evaluate import strip_embedded_xml
from app.config import LimitsSettings
from app.pipeline.ocr import OcrConfig, needs_ocr, straightened_image
from app.pipeline.ocr_eval import ScanReader
from app.pipeline.read import read_pdf
from app.pipeline.sandbox import SandboxLimits
from app.pipeline.steps import ReadStep, StepContext, text_caps
from tests.corpus import corpus_dir

CONFIG = OcrConfig(tessdata=None, languages="deu+eng")


def _scan(rotate: int = 0) -> bytes:
    data = strip_embedded_xml((corpus_dir() / "real/D003_muster_gmbh_vorlage.pdf").read_bytes())
    return ScanReader(CONFIG, rotate=rotate).scan(data, "D003")


def _ctx(data: bytes) -> StepContext:
    return StepContext(document_id=1, filename="scan.pdf", media_type="application/pdf", content=data)


def test_a_scanned_page_is_read_by_ocr_in_the_sandbox() -> None:
    step = ReadStep(SandboxLimits(memory_mb=1536, timeout_seconds=120), text_caps(LimitsSettings()), CONFIG)
    output = step.run(_ctx(_scan()))
    page = output.data["pages"][0]
    assert output.stop_with is None
    assert not output.findings
    assert page["ocr"]["dpi"] == 300
    assert page["ocr"]["confidence"] > 70
    assert len(page["words"]) > 100
    assert all(w["confidence"] is not None for w in page["words"])


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
    # The ink of each confident word lies inside its box on that image.
    for word in [w for w in page.words if (w.confidence or 0) > 90][:20]:
        box = (word.x0 * scale, word.top * scale, word.x1 * scale, word.bottom * scale)
        assert image.crop(tuple(round(v) for v in box)).getextrema()[0] < 128


def test_without_models_a_scan_ends_as_text_missing_saying_how_to_enable_ocr(tmp_path: Path) -> None:
    config = OcrConfig(tessdata=tmp_path, languages="deu+eng")
    step = ReadStep(SandboxLimits(memory_mb=1536, timeout_seconds=120), text_caps(LimitsSettings()), config)
    output = step.run(_ctx(_scan()))
    assert output.stop_reason == "text.missing"
    assert "apt-get install" in output.findings[0].message
