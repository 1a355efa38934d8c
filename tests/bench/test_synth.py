"""Synthetic invoices: the truth is what the page prints, every language and layout renders, a seed
always gives the same invoice, and the generated identifiers pass their check digits."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pdfplumber
import pytest
from stdnum import iban
from stdnum.eu import vat

from bench.synth import LAYOUTS, SynthInvoice, draw, render
from bench.synth.locales import LOCALES, Locale

AMOUNTS = ("net_total", "tax_total", "gross_total", "amount_due")


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with fake-bold duplicates dropped and whitespace folded."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [" ".join((page.dedupe_chars().extract_text() or "").split()) for page in document.pages]


def parse_amount(printed: str, locale: Locale) -> Decimal:
    digits = (
        printed.replace(locale.symbol, "").strip().replace(locale.thousands, "").replace(locale.decimal, ".")
    )
    return Decimal(digits)


def date_forms(value: date, locale: Locale) -> set[str]:
    return {
        pattern.format(
            d=value.day,
            dd=f"{value.day:02d}",
            m=value.month,
            mm=f"{value.month:02d}",
            y=value.year,
            month=locale.months[value.month - 1],
        )
        for pattern in locale.date_formats
    }


def check_truth_is_printed(invoice: SynthInvoice, pdf: bytes) -> None:
    truth, text = invoice.truth(), " ".join(page_texts(pdf))
    printed = truth["_synth"]["printed"]
    assert {"invoice_number", "issue_date", "seller_name", "buyer_name", "gross_total"} <= set(printed)
    for name, shown in printed.items():
        assert " ".join(shown.split()) in text, f"{name} {shown!r} is not on the page"
    for name in AMOUNTS:
        if name in printed:
            assert parse_amount(printed[name], invoice.locale) == Decimal(str(truth[name])), name
    assert truth["invoice_number"] == printed["invoice_number"]
    assert printed["issue_date"] in date_forms(date.fromisoformat(truth["issue_date"]), invoice.locale)
    if truth["due_date"]:
        assert printed["due_date"] in date_forms(date.fromisoformat(truth["due_date"]), invoice.locale)
    if truth["iban"]:
        assert printed["iban"].replace(" ", "") == truth["iban"]
    if truth["seller_vat_id"]:
        assert printed["seller_vat_id"].replace(" ", "") == truth["seller_vat_id"]


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_every_language_renders_and_its_truth_is_printed(locale: str) -> None:
    layout = LAYOUTS[sorted(LOCALES).index(locale) % len(LAYOUTS)]
    invoice = draw(11, locale=locale, layout=layout)
    check_truth_is_printed(invoice, render(invoice))


@pytest.mark.parametrize("seed", range(1, 9))
def test_drawn_invoices_print_their_truth(seed: int) -> None:
    invoice = draw(seed)
    check_truth_is_printed(invoice, render(invoice))


def test_a_multipage_invoice_repeats_its_table_header_and_carries_the_sum() -> None:
    invoice = draw(5, locale="de", layout="multipage")
    pages = page_texts(render(invoice))
    labels = invoice.locale.labels
    assert len(pages) >= 2
    assert all(labels.description in text for text in pages)
    assert all(labels.carried in text for text in pages[1:])
    assert labels.gross in pages[-1]
    assert labels.gross not in pages[0]


def test_the_truth_adds_up() -> None:
    for seed in range(1, 30):
        truth = draw(seed).truth()
        lines = sum(Decimal(str(line["net_amount"])) for line in truth["line_items"])
        assert lines == Decimal(str(truth["net_total"]))
        net, tax = Decimal(str(truth["net_total"])), Decimal(str(truth["tax_total"]))
        assert net + tax == Decimal(str(truth["gross_total"]))
        assert Decimal(str(truth["amount_due"])) <= Decimal(str(truth["gross_total"]))


def test_a_seed_always_gives_the_same_invoice() -> None:
    first, second = draw(42), draw(42)
    assert render(first) == render(second)
    assert json.dumps(first.truth()) == json.dumps(second.truth())
    assert draw(43).truth() != first.truth()


def test_generated_identifiers_pass_their_check_digits() -> None:
    invoices = [draw(seed) for seed in range(1, 40)]
    ibans = [i.seller.iban for i in invoices if i.seller.iban]
    vat_ids = [i.seller.vat_id for i in invoices if i.seller.vat_id and i.locale.country not in ("CH", "GB")]
    assert ibans
    assert vat_ids
    assert all(iban.is_valid(number) for number in ibans)
    assert all(vat.is_valid(number) for number in vat_ids)


def test_the_draw_covers_languages_layouts_credit_notes_and_prepayments() -> None:
    invoices = [draw(seed) for seed in range(1, 200)]
    assert {i.locale.code for i in invoices} == set(LOCALES)
    assert {i.layout for i in invoices} == set(LAYOUTS)
    assert any(i.credit_note for i in invoices)
    assert any(i.prepaid for i in invoices)
    assert {i.fake_bold for i in invoices} == {1, 2, 3}
