"""The reviewer's day in headless Chromium: stale warnings go, line items and booking are edited, a bad date
is said plainly, open errors need a reason, the four-eyes rule holds across page and key, every document
is searchable with its trail, an XML-only invoice is readable; at 800 px nothing scrolls sideways."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.db import get_sessionmaker, session_scope
from app.mail import ledger
from app.mail.message import handle_message
from app.models import AuditEvent, Role, Status, StepResult
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps.einvoice import EInvoiceStep
from app.pipeline.steps.read import ReadStep
from app.review.models import UserRole
from tests.app.mail.messages import as_bytes, mail
from tests.app.review.browser import browsing, log_in, review_site
from tests.app.review.factories import (
    PASSWORD,
    RIGHT_GROSS,
    create_flagged_invoice,
    create_user,
    stored_extraction_findings,
)
from tests.conftest import make_settings
from tests.corpus import REPO_ROOT, corpus_dir
from tests.factories import create_api_key, create_document, text_pdf

ARTIFACTS = REPO_ROOT / "test-artifacts"
OTHER_PDF = "FX1.0.7__Facture_F20220024-LE_FOURNISSEUR-POUR-LE_CLIENT_BASIC.pdf"
XSD_ERROR = {
    "code": "einvoice.xsd",
    "severity": "error",
    "message": "The XML breaks its schema.",
    "fields": [],
}


def _edit_field(page: Page, name: str, value: str) -> None:
    page.locator(f'.field[data-field="{name}"] .label').click()
    page.keyboard.press("Enter")
    box = page.locator(f'.field[data-field="{name}"] input[name="value"]')
    expect(box).to_be_focused()
    box.fill(value)
    box.press("Enter")


def _shot(page: Page, name: str, request: pytest.FixtureRequest) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"day-{name}-{request.node.callspec.id}.png", full_page=True)


def _no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"scrolls sideways at {widths[1]} px: {widths[0]} px wide"


def test_fix_totals_edit_lines_and_booking_and_approve_over_an_error(
    browser: Browser, tmp_path: Path, live_database_url: str, request: pytest.FixtureRequest
) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        create_user(session, username="rita")
        flagged = create_flagged_invoice(session)
        stale = stored_extraction_findings(flagged)
        other = create_flagged_invoice(session, name=OTHER_PDF, gross_off_by=None)
        session.add(StepResult(document_id=other.id, step="einvoice", data={}, findings=[XSD_ERROR]))
        ids = flagged.id, other.id
    warning = next(f.message for f in stale if f.code == "arithmetic.gross_mismatch")
    with review_site(tmp_path, live_database_url) as url:
        with browsing(browser, url) as page:
            log_in(page)
            page.goto(f"/review/documents/{ids[0]}")
            expect(page.locator(".finding", has_text=warning)).to_have_count(1)
            _edit_field(page, "gross_total", str(RIGHT_GROSS))
            expect(page.locator(".notice")).to_contain_text("Saved")
            expect(page.locator(".finding", has_text=warning)).to_have_count(0)
            # A bad date: a plain sentence next to the field, the value kept for correcting.
            _edit_field(page, "issue_date", "31.02.2025")
            message = page.locator('.field[data-field="issue_date"] .error')
            expect(message).to_contain_text("31.02.2025 is not a date")
            page.keyboard.press("Escape")
            # A line item changed: the VAT breakdown and the totals findings follow; changed back, they go.
            line = page.locator("#line-1")
            original = line.locator('input[name="net_amount"]').input_value()
            line.locator('input[name="net_amount"]').fill("1,00")
            line.locator('input[name="net_amount"]').press("Enter")
            expect(page.locator(".finding.error", has_text="line")).not_to_have_count(0)
            _shot(page, "line-edited", request)
            line = page.locator("#line-1")
            line.locator('input[name="net_amount"]').fill(original)
            line.locator('input[name="net_amount"]').press("Enter")
            expect(page.locator(".notice")).to_contain_text("Saved")
            expect(page.locator(".finding.error", has_text="line")).to_have_count(0)
            # Booking: an account from the chart (searchable list) and a tax key, per line, with the keyboard.
            page.keyboard.press("b")
            account = page.locator("#booking input[name=account]").first
            expect(account).to_be_focused()
            account.fill("4930")
            page.locator("#booking select[name=tax_key]").first.select_option("8")
            page.locator("#booking button[type=submit]").first.click()
            expect(page.locator(".notice")).to_contain_text("Booking changed")
            expect(page.locator("#booking input[name=account]").first).to_have_value("4930")
            expect(page.locator("#booking select[name=tax_key]").first).to_have_value("8")
            expect(page.locator("#history")).to_contain_text("4930")

            # Open errors: approving needs the confirmation and a reason.
            page.goto(f"/review/documents/{ids[1]}")
            page.keyboard.press("a")
            expect(page.locator("#action-error")).to_contain_text("explicit confirmation and a reason")
            page.keyboard.press("o")
            expect(page.locator("#approve-force")).to_be_focused()
            page.keyboard.press("Space")
            page.locator("#approve-reason").fill("Schema error is cosmetic; checked with the vendor")
            _shot(page, "override", request)
            page.locator("#approve-reason").press("Enter")
            expect(page).to_have_url(re.compile(r"notice=approved"))
            page.goto(f"/review/documents/{ids[1]}")
            expect(page.locator("#status")).to_have_text("booked")
            expect(page.locator('#history li[data-action="approve.override"]')).to_contain_text(
                "checked with the vendor"
            )

            # The keyboard list, and nothing wider than a narrow window.
            page.keyboard.press("?")
            expect(page.locator("#keys-help")).to_be_visible()
            expect(page.locator("#keys-help")).to_contain_text("approve despite open errors")
            page.keyboard.press("Escape")
        with browsing(browser, url, width=800) as narrow:
            log_in(narrow)
            pages = ("/review", "/review/documents", "/review/upload", "/review/mail", "/review/account")
            for path in (f"/review/documents/{ids[0]}", *pages):
                narrow.goto(path)
                _no_sideways_scroll(narrow)
            _shot(narrow, "narrow", request)


def test_four_eyes_search_trail_and_an_xml_invoice(
    browser: Browser, tmp_path: Path, live_database_url: str, request: pytest.FixtureRequest
) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        rita = create_user(session, username="rita")
        otto = create_user(session, username="otto")
        ritas_key = create_api_key(session, role=Role.REVIEWER, user_id=rita.id)
        ottos_key = create_api_key(session, role=Role.REVIEWER, user_id=otto.id)
        flagged = create_flagged_invoice(session).id
        fine = create_flagged_invoice(session, name=OTHER_PDF, gross_off_by=None).id
        xml_path = sorted((corpus_dir() / "xml").glob("*.xml"))[0]
        xml = create_document(session, data=xml_path.read_bytes(), filename=xml_path.name).id
        bare = as_bytes(mail(subject="Nur ein Gruß ohne Anhang"))
        ledger.record(
            session,
            ledger.claim(session, "inbox", "<bare@muster.example>"),
            handle_message(
                session, bare, source="inbox", settings=make_settings(tmp_path, live_database_url)
            ),
        )
    Pipeline(get_sessionmaker(live_database_url), [ReadStep(), EInvoiceStep()]).process(xml)
    with session_scope(get_sessionmaker(live_database_url)) as session:
        from app.models import Document

        document = session.get(Document, xml)
        assert document is not None
        document.status = Status.NEEDS_REVIEW
    overrides = {"review": {"four_eyes": True}}
    with review_site(tmp_path, live_database_url, **overrides) as url, browsing(browser, url) as page:
        log_in(page)
        # Rita corrects the amount on the page: neither the page nor her key may approve it; Otto's key may.
        page.goto(f"/review/documents/{flagged}")
        _edit_field(page, "gross_total", str(RIGHT_GROSS))
        expect(page.locator(".notice")).to_contain_text("Saved")
        page.keyboard.press("a")
        expect(page.locator("#action-error")).to_contain_text("Four-eyes rule")
        by_key = httpx.post(f"{url}/v1/documents/{flagged}/approve", headers=_bearer(ritas_key))
        assert by_key.status_code == 403
        assert by_key.json()["error"] == "four_eyes"
        # Her key changes the other document's IBAN: the page refuses her approval of that one too.
        iban = {"fields": {"iban": "DE89370400440532013000"}}
        assert httpx.patch(
            f"{url}/v1/documents/{fine}/fields", json=iban, headers=_bearer(ritas_key)
        ).is_success
        page.goto(f"/review/documents/{fine}")
        page.keyboard.press("a")
        expect(page.locator("#action-error")).to_contain_text("Four-eyes rule")
        assert httpx.post(f"{url}/v1/documents/{flagged}/approve", headers=_bearer(ottos_key)).is_success

        # All documents: search, open one, read its trail (page and API).
        page.keyboard.press("d")
        expect(page).to_have_url(re.compile(r"/review/documents$"))
        page.keyboard.press("/")
        expect(page.locator("#search-text")).to_be_focused()
        page.locator("select[name=status]").select_option("booked")
        page.locator("#search-text").fill("")
        page.locator("#search-form button[type=submit]").click()
        expect(page.locator("#documents tbody tr")).to_have_count(1)
        expect(page.locator(f'#documents tr[data-document="{flagged}"]')).to_have_count(1)
        _shot(page, "all-documents", request)
        page.locator(f'#documents tr[data-document="{flagged}"] a').click()
        expect(page.locator("#history")).to_contain_text("user:rita")
        trail = httpx.get(f"{url}/v1/documents/{flagged}/audit", headers=_bearer(ottos_key)).json()
        assert [e["action"] for e in trail if e["action"] == "field.edit"] == ["field.edit"]
        assert any(e["actor"] == f"key:{ottos_key.split('_')[1]}" for e in trail)

        # The XML-only invoice reads as an invoice, each value with its XML path.
        page.goto(f"/review/documents/{xml}")
        expect(page.locator("#xml-invoice")).to_be_visible()
        expect(page.locator("#xml-invoice .xpath").first).to_contain_text("/")
        _shot(page, "xml-invoice", request)

        # The mail without an attachment, with the reason nothing was stored.
        page.goto("/review/mail")
        page.locator("select[name=outcome]").select_option("problems")
        page.get_by_role("button", name="Show").click()
        row = page.locator("#mail-table tbody tr", has_text="Nur ein Gruß ohne Anhang")
        expect(row).to_contain_text("no PDF or e-invoice attachment")
        _shot(page, "mail", request)

        # Three files dropped at once: each uploaded with progress and a result of its own.
        page.goto("/review/upload")
        _drop(page, {f"drop-{i}.pdf": text_pdf(f"Rechnung dropped {i}") for i in range(3)})
        results = page.locator("#upload-results li")
        expect(results).to_have_count(3)
        for i in range(3):
            expect(results.nth(i)).to_contain_text("stored as #", timeout=30_000)
        _shot(page, "upload", request)


def _drop(page: Page, files: dict[str, bytes]) -> None:
    """Drop `files` on the drop zone, as a person dragging them from the desktop does."""
    encoded = {name: base64.b64encode(data).decode() for name, data in files.items()}
    transfer = page.evaluate_handle(
        """(files) => {
            const transfer = new DataTransfer();
            for (const [name, b64] of Object.entries(files)) {
                const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
            }
            return transfer;
        }""",
        encoded,
    )
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": transfer})


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_passwords_and_users_in_the_browser(
    browser: Browser, tmp_path: Path, live_database_url: str, request: pytest.FixtureRequest
) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        create_user(session, username="rita")
        create_user(session, username="adam", role=UserRole.ADMIN)
    new = "a brand new passphrase"
    with review_site(tmp_path, live_database_url) as url:
        with browsing(browser, url) as page:
            log_in(page)
            page.locator("#account-link").click()
            page.get_by_label("Current password").fill(PASSWORD)
            page.get_by_label("New password", exact=True).fill(new)
            page.get_by_label("New password again").fill(new)
            page.get_by_role("button", name="Change password").click()
            expect(page.locator(".notice")).to_contain_text("Your password has been changed")
            _shot(page, "account", request)
        with browsing(browser, url, width=800) as admin:
            log_in(admin, "adam")
            admin.goto("/review/users")
            _no_sideways_scroll(admin)
            admin.get_by_label("New password for rita").fill("reset by the admin 1")
            admin.get_by_label("New password for rita").press("Enter")
            row = admin.locator("tr", has_text="rita")
            row.get_by_role("button", name="Disable").click()
            expect(admin.locator("tr", has_text="rita")).to_contain_text("disabled")
            _shot(admin, "users", request)
    with session_scope(get_sessionmaker(live_database_url)) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"user.password", "user.password_reset", "user.disable"} <= actions
