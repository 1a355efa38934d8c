"""The vendor layout memory: a vendor's approved invoices teach where its values stand; the next invoice
of that vendor is read there, another vendor's is left alone, and only printed values are recalled."""

from __future__ import annotations

from functools import cache

from agents.extraction.memory import SOURCE, LayoutMemory, learn, recall, vendor_keys
from agents.extraction.places import PLACED_FIELDS, shape_of
from agents.extraction.scoring import same
from agents.reading import read_pdf
from app.learning.examples import truth_invoice
from bench.synth import render
from bench.synth.invoice import SynthInvoice
from bench.synth.vendor import vendor_invoices
from schemas.document import ReadResult
from schemas.invoice import Invoice

#: Fields every synthetic invoice prints (the due date and the prepayment only sometimes).
ALWAYS_PRINTED = ("invoice_number", "issue_date", "net_total", "tax_total", "gross_total", "buyer_name")


@cache
def series(vendor: int, count: int = 3) -> tuple[tuple[ReadResult, Invoice], ...]:
    return tuple(_read(invoice) for invoice in vendor_invoices(vendor, count, locale="de"))


def _read(invoice: SynthInvoice) -> tuple[ReadResult, Invoice]:
    read = read_pdf(render(invoice))
    return read, truth_invoice(invoice.truth())


def taught(*pairs: tuple[ReadResult, Invoice]) -> LayoutMemory:
    memory = LayoutMemory()
    for read, truth in pairs:
        learn(memory, read, truth)
    return memory


def test_the_next_invoice_of_a_vendor_is_read_where_its_earlier_ones_had_their_values() -> None:
    first, second, third = series(1)
    memory = taught(first, second)
    read, truth = third
    recalled, changed = recall(memory, read, Invoice())  # nothing extracted: the page names the vendor
    assert len(set(changed) & set(ALWAYS_PRINTED)) >= 3
    for field in changed:
        assert same(field, getattr(recalled, field), getattr(truth, field)), field


def test_what_the_memory_recalls_is_boxed_where_the_page_prints_it() -> None:
    first, second, third = series(2)
    read, _truth = third
    recalled, changed = recall(taught(first, second), read, Invoice())
    assert changed
    for field in changed:
        source = recalled.fields[field]
        assert source.source == SOURCE
        assert source.bbox is not None
        words = [w for page in read.pages if page.number == source.page for w in page.words]
        x0, top, x1, bottom = source.bbox
        inside = "".join(
            w.text
            for w in words
            if w.x0 >= x0 - 0.5 and w.x1 <= x1 + 0.5 and w.top >= top - 0.5 and w.bottom <= bottom + 0.5
        )
        if field == "invoice_number":
            assert compact(str(recalled.invoice_number)) in compact(inside)
        assert inside, field


def compact(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def test_another_vendors_invoice_is_left_alone() -> None:
    memory = taught(*series(1))
    read, _truth = series(3)[0]
    extracted = Invoice(invoice_number="as the rules read it")
    assert recall(memory, read, extracted) == (extracted, [])


def test_a_vendor_is_known_by_its_identity_not_by_a_file() -> None:
    first, second, _third = series(1)
    memory = taught(first, second)
    (vendor,) = memory.vendors
    assert vendor.invoices == 2
    assert set(vendor.keys) == vendor_keys(first[1]) | vendor_keys(second[1])
    assert all(key.split(":")[0] in {"vat", "iban", "name"} for key in vendor.keys)
    assert set(vendor.anchors) <= PLACED_FIELDS


def test_a_value_that_changes_between_invoices_is_no_constant() -> None:
    first, second, _third = series(1)
    memory = taught(first, second)
    (vendor,) = memory.vendors
    assert vendor.constants["invoice_number"] is None
    assert vendor.constants["seller_name"] == first[1].seller_name


def test_an_identifier_shape_matches_the_same_build_only() -> None:
    import re

    pattern = shape_of("RE-2023/0042")
    assert re.search(pattern, "Rechnung RE-2024/0107 vom")
    assert not re.search(pattern, "Rechnung 2024-0107 vom")
