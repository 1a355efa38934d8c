"""End to end in headless Chromium: a scan's straightened page with its boxes, and turning a page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.fake import FakeBackend
from agents.reading.scanned import OcrConfig
from app.db import get_sessionmaker, session_scope
from app.models import AuditEvent, Status, StepResult
from app.pipeline.orchestrator import Pipeline
from app.pipeline.state import Step
from app.pipeline.steps.extract import ExtractStep
from app.pipeline.steps.ocr import OcrTrustStep
from app.pipeline.steps.read import ReadStep
from app.scans.models import PageRotation
from tests.app.review.browser import browsing, log_in, review_site
from tests.app.review.factories import INVOICE_PDF, create_flagged_invoice, create_user
from tests.app.scans.images import encoded, rendered_pages
from tests.factories import corpus_pdf, create_document

STEPS: list[Step] = [
    ReadStep(ocr=OcrConfig(tessdata=None, languages="deu+eng")),
    ExtractStep(FakeBackend()),
    OcrTrustStep(3, lambda _: 0),
]


@dataclass(frozen=True)
class Site:
    url: str
    database_url: str
    scan_id: int
    digital_id: int


def _skewed_scan() -> bytes:
    """The invoice as a slightly crooked 150 dpi scan (PNG)."""
    [image] = rendered_pages(corpus_pdf(INVOICE_PDF).read_bytes(), dpi=150)[:1]
    return encoded([image.rotate(1.5, fillcolor=255, expand=False)], "PNG", dpi=150)


def _process(database_url: str, document_id: int) -> None:
    Pipeline(get_sessionmaker(database_url), STEPS).process(document_id)


def _read(database_url: str, document_id: int) -> dict[str, Any]:
    with session_scope(get_sessionmaker(database_url)) as session:
        data = session.scalar(
            select(StepResult.data).where(StepResult.document_id == document_id, StepResult.step == "read")
        )
        assert data is not None
        return dict(data)


@pytest.fixture
def site(tmp_path: Path, live_database_url: str) -> Iterator[Site]:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        create_user(session, username="rita")
        scan = create_document(session, data=_skewed_scan(), filename="scan.png")
        digital = create_flagged_invoice(session)
        ids = scan.id, digital.id
    _process(live_database_url, ids[0])
    with review_site(tmp_path, live_database_url) as url:
        yield Site(url, live_database_url, *ids)


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    with browsing(browser, site.url, width=1440) as page:
        log_in(page)
        yield page


def test_an_ocr_page_shows_the_straightened_scan_with_its_boxes_on_the_words(page: Page, site: Site) -> None:
    page.goto(f"/review/documents/{site.scan_id}")
    shown = page.locator('.page[data-ocr="1"] img')
    expect(shown).to_have_js_property("complete", True)
    expect(page.locator(".page-turn").first).to_contain_text("read by OCR")
    expect(page.locator(".finding", has_text="had no text layer and were read by OCR")).to_have_count(1)
    read_page = _read(site.database_url, site.scan_id)["pages"][0]
    assert read_page["ocr"]["skew"] != 0, "the crooked scan was straightened"
    natural = page.evaluate("img => [img.naturalWidth, img.naturalHeight]", shown.element_handle())
    assert natural[0] / natural[1] == pytest.approx(read_page["width"] / read_page["height"], abs=0.01)
    words = [w for w in read_page["words"] if len(w["text"]) >= 4 and w["confidence"] >= 90][:15]
    assert len(words) >= 10
    inked = [_ink_under(page, shown, read_page, w) for w in words]
    assert sum(share > 0.08 for share in inked) >= len(words) - 1, inked
    boxes = page.locator(".page rect.box")
    assert boxes.count() >= 1, "fields found on the scan are marked on it"


def test_a_turned_page_is_read_again_the_new_way_up_with_its_boxes_in_place(page: Page, site: Site) -> None:
    page.goto(f"/review/documents/{site.digital_id}")
    before = _read(site.database_url, site.digital_id)["pages"][0]
    assert before["width"] < before["height"]

    page.locator(".page-turn").first.get_by_role("button", name="Turn right").click()

    expect(page).to_have_url(re.compile(rf"/review/documents/{site.digital_id}\?notice=rotated"))
    expect(page.locator("#status")).to_have_text("processing")
    with session_scope(get_sessionmaker(site.database_url)) as session:
        _the_turn_is_stored_and_audited(session, site.digital_id)
    _process(site.database_url, site.digital_id)  # what the worker does with the queued document
    page.reload()
    expect(page.locator("#status")).to_have_text(Status.NEEDS_REVIEW.value)
    after = _read(site.database_url, site.digital_id)["pages"][0]
    assert (after["width"], after["height"]) == pytest.approx((before["height"], before["width"]))
    shown = page.locator(".page img").first
    expect(shown).to_have_js_property("complete", True)
    assert "v=" in (shown.get_attribute("src") or "")
    natural = page.evaluate("img => [img.naturalWidth, img.naturalHeight]", shown.element_handle())
    assert natural[0] > natural[1], "the page image is turned too"
    words = [w for w in after["words"] if len(w["text"]) >= 4][:15]
    assert len(words) >= 10
    assert all(_ink_under(page, shown, after, w) > 0.08 for w in words)


def _the_turn_is_stored_and_audited(session: Session, document_id: int) -> None:
    turn = session.scalar(select(PageRotation).where(PageRotation.document_id == document_id))
    assert turn is not None
    assert (turn.page, turn.degrees, turn.set_by) == (1, 90, "user:rita")
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.document_id == document_id, AuditEvent.action == "page.rotate")
    )
    assert event is not None
    assert (event.before, event.after) == ({"page": 1, "degrees": 0}, {"page": 1, "degrees": 90, "turn": 90})


def _ink_under(page: Page, shown: Any, read_page: dict[str, Any], word: dict[str, Any]) -> float:
    """Share of dark pixels of the shown page image inside a word's box (points of the read page)."""
    fraction: float = page.evaluate(
        """([img, box, size]) => {
            const canvas = document.createElement('canvas');
            canvas.width = img.naturalWidth;
            canvas.height = img.naturalHeight;
            const ctx = canvas.getContext('2d');
            ctx.drawImage(img, 0, 0);
            const k = img.naturalWidth / size[0];
            const x = Math.floor(box[0] * k), y = Math.floor(box[1] * k);
            const w = Math.max(1, Math.ceil((box[2] - box[0]) * k));
            const h = Math.max(1, Math.ceil((box[3] - box[1]) * k));
            const data = ctx.getImageData(x, y, w, h).data;
            let dark = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (data[i] + data[i + 1] + data[i + 2] < 384) dark++;
            }
            return dark / (w * h);
        }""",
        [
            shown.element_handle(),
            [word["x0"], word["top"], word["x1"], word["bottom"]],
            [read_page["width"], read_page["height"]],
        ],
    )
    return fraction
