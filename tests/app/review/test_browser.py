"""End to end in headless Chromium: log in, work the queue, check the box, correct, approve, see the trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FloatRect, Page, expect
from sqlalchemy import select

from agents.reading.pdf import read_pdf
from app.db import get_sessionmaker, session_scope
from app.models import AuditEvent, Document, Status
from tests.app.review.browser import browsing, log_in, review_site
from tests.app.review.factories import (
    INVOICE_PDF,
    RIGHT_GROSS,
    create_flagged_invoice,
    create_user,
    find_words,
)
from tests.corpus import REPO_ROOT
from tests.factories import corpus_pdf

ARTIFACTS = REPO_ROOT / "test-artifacts"
#: A second document in the queue, received after the first.
OTHER_PDF = "FX1.0.7__Facture_F20220024-LE_FOURNISSEUR-POUR-LE_CLIENT_BASIC.pdf"


@dataclass(frozen=True)
class Site:
    url: str
    database_url: str
    flagged_id: int
    other_id: int


@pytest.fixture
def site(tmp_path: Path, live_database_url: str) -> Iterator[Site]:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        create_user(session, username="rita")
        flagged = create_flagged_invoice(session)
        other = create_flagged_invoice(session, name=OTHER_PDF, gross_off_by=None)
        ids = flagged.id, other.id
    with review_site(tmp_path, live_database_url) as url:
        yield Site(url, live_database_url, *ids)


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    with browsing(browser, site.url, width=1440, timeout_ms=15_000) as page:
        yield page


def test_a_reviewer_corrects_and_approves_a_flagged_invoice(
    page: Page, site: Site, request: pytest.FixtureRequest
) -> None:
    log_in(page)
    _queue_shows_both(page, site)
    page.locator(f'tr[data-document="{site.flagged_id}"]').click()
    expect(page).to_have_url(f"{site.url}/review/documents/{site.flagged_id}")
    page.keyboard.press("n")
    expect(page).to_have_url(f"{site.url}/review/documents/{site.other_id}")
    page.go_back()
    _the_box_is_over_the_value(page)
    _fields_and_boxes_highlight_each_other(page)
    _correct_the_gross_amount(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"review-{request.node.callspec.id}.png")
    page.keyboard.press("a")
    # Approving moves on to the next document waiting.
    expect(page).to_have_url(f"{site.url}/review/documents/{site.other_id}?notice=approved")
    expect(page.locator("#queue-count")).to_have_text("1")
    page.goto("/review")
    expect(page.locator(f'tr[data-document="{site.flagged_id}"]')).to_have_count(0)
    expect(page.locator(f'tr[data-document="{site.other_id}"]')).to_have_count(1)
    _the_trail_shows_the_correction(page, site)
    _reject_with_the_keyboard(page, site)


def _queue_shows_both(page: Page, site: Site) -> None:
    expect(page.locator("#queue-count")).to_have_text("2")
    rows = page.locator(".queue-table tbody tr")
    expect(rows).to_have_count(2)
    first = rows.nth(0)
    expect(first).to_have_attribute("data-document", str(site.flagged_id))
    expect(first).to_contain_text("LE FOURNISSEUR")
    expect(first).to_contain_text("104.00 EUR")
    expect(first).to_contain_text("2022-01-31")
    expect(first).to_contain_text("arithmetic.gross_mismatch")


def _the_box_is_over_the_value(page: Page) -> None:
    """The flagged field is selected on arrival and its box sits on the amount's ink on the rendered page."""
    image = page.locator(".page img").first
    expect(image).to_have_js_property("complete", True)
    expect(page.locator(".field.selected")).to_have_attribute("data-field", "gross_total")
    box = page.locator('rect.box[data-field="gross_total"]')
    expect(box).to_have_class("box flagged selected")
    read = read_pdf(corpus_pdf(INVOICE_PDF).read_bytes())
    found = find_words(read, "104,90")
    assert found is not None
    x0, top, x1, bottom = found
    shown, drawn = image.bounding_box(), box.bounding_box()
    assert shown is not None
    assert drawn is not None
    page_size = read.pages[0]
    sx, sy = shown["width"] / page_size.width, shown["height"] / page_size.height
    # Centres, since the outline's stroke widens the drawn box by a pixel or two.
    assert drawn["x"] + drawn["width"] / 2 == pytest.approx(shown["x"] + (x0 + x1) / 2 * sx, abs=1)
    assert drawn["y"] + drawn["height"] / 2 == pytest.approx(shown["y"] + (top + bottom) / 2 * sy, abs=1)
    assert drawn["width"] == pytest.approx((x1 - x0 + 4) * sx, abs=3)
    assert drawn["height"] == pytest.approx((bottom - top + 4) * sy, abs=3)
    assert _ink_under(page, drawn, shown) > 0.08, "the box is not over any text of the page image"


def _ink_under(page: Page, drawn: FloatRect, shown: FloatRect) -> float:
    """The share of dark pixels of the page image under the box, read back from the image in the browser."""
    fraction: float = page.evaluate(
        """([box, shown]) => {
            const img = document.querySelector('.page img');
            const canvas = document.createElement('canvas');
            canvas.width = img.naturalWidth;
            canvas.height = img.naturalHeight;
            const ctx = canvas.getContext('2d');
            ctx.drawImage(img, 0, 0);
            const k = img.naturalWidth / shown.width;
            const x = Math.round((box.x - shown.x) * k), y = Math.round((box.y - shown.y) * k);
            const w = Math.round(box.width * k), h = Math.round(box.height * k);
            const data = ctx.getImageData(x, y, w, h).data;
            let dark = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (data[i] + data[i + 1] + data[i + 2] < 384) dark++;
            }
            return dark / (w * h);
        }""",
        [drawn, shown],
    )
    return fraction


def _fields_and_boxes_highlight_each_other(page: Page) -> None:
    page.locator('.field[data-field="invoice_number"] .label').click()
    expect(page.locator('rect.box[data-field="invoice_number"]')).to_have_class("box selected")
    expect(page.locator('rect.box[data-field="gross_total"]')).to_have_class("box flagged")
    page.locator('rect.box[data-field="seller_name"]').click()
    expect(page.locator(".field.selected")).to_have_attribute("data-field", "seller_name")
    page.keyboard.press("j")
    expect(page.locator(".field.selected")).to_have_attribute("data-field", "seller_vat_id")
    page.keyboard.press("k")
    expect(page.locator(".field.selected")).to_have_attribute("data-field", "seller_name")


def _correct_the_gross_amount(page: Page) -> None:
    page.locator('.field[data-field="gross_total"] .label').click()
    page.keyboard.press("Enter")
    value = page.locator('.field[data-field="gross_total"] input[name="value"]')
    expect(value).to_be_focused()
    value.fill(str(RIGHT_GROSS))
    value.press("Enter")
    expect(page.locator(".notice")).to_contain_text("Saved")
    expect(page.locator('.field[data-field="gross_total"] .value')).to_have_text(str(RIGHT_GROSS))
    expect(page.locator(".finding.error", has_text="gross amount")).to_have_count(0)


def _the_trail_shows_the_correction(page: Page, site: Site) -> None:
    page.goto(f"/review/documents/{site.flagged_id}")
    expect(page.locator("#status")).to_have_text("booked")
    history = page.locator("#history")
    expect(history).to_contain_text("user:rita")
    expect(history).to_contain_text("Gross total: 104.00 → 104.90")
    expect(history).to_contain_text("needs_review → booked (approved)")
    with session_scope(get_sessionmaker(site.database_url)) as session:
        document = session.get(Document, site.flagged_id)
        assert document is not None
        assert document.status == Status.BOOKED
        actors = session.scalars(
            select(AuditEvent.actor).where(
                AuditEvent.document_id == site.flagged_id, AuditEvent.at.is_not(None)
            )
        ).all()
        assert "user:rita" in actors


def _reject_with_the_keyboard(page: Page, site: Site) -> None:
    page.goto(f"/review/documents/{site.other_id}")
    page.keyboard.press("r")
    reason = page.locator("#reject-reason")
    expect(reason).to_be_focused()
    reason.fill("Sent twice by the vendor")
    reason.press("Enter")
    expect(page).to_have_url(f"{site.url}/review?notice=rejected")
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator(".empty")).to_contain_text("Nothing waits for review")
